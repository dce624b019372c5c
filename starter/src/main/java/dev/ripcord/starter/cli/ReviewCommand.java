package dev.ripcord.starter.cli;

import dev.ripcord.activities.evidence.view.EvidenceAssembly;
import dev.ripcord.activities.evidence.view.EvidencePage;
import dev.ripcord.starter.review.IncidentReview;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.release.ReleaseReport;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "review", mixinStandardHelpOptions = true,
    header = "Write the incident review of a finished release, or any release's page.",
    description = {"Write the incident review of a finished release, from a live release (all its runs) or a history",
        "file: timeline, time to detect and to mitigate, when each criterion first diverged, people's decisions and",
        "their latency, recommendations; with --policy, when a revised policy would have acted on the same windows.",
        "An evidence bundle (file: URI or directory) stands in for the release after Temporal has forgotten it.",
        "--output html writes the release's page instead (any release, running or not): each criterion's statistic",
        "against its threshold over time with the arms beneath, the weight and what happened, tables under each chart;",
        "one file with nothing to fetch, the page the worker serves at /releases/ID."},
    footer = {"", "Examples:", "  ripcord review incident.json > review.md",
        "  ripcord review release-support-chat-chat-2026-11-b --policy revised.yaml --output json",
        "  ripcord review file:///var/ripcord/evidence/sha256-3f1c… --output html > release.html"})
final class ReviewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

  @Parameters(paramLabel = "RELEASE_ID|HISTORY.json|EVIDENCE_URI")
  String source;

  @Option(names = "--policy", description = "a revised policy to backtest on the incident's observations")
  Path revised;

  /** What {@code review} prints: the Markdown review, its JSON, or the release page as one self-contained file. */
  enum Format { text, json, html }

  @Option(names = "--output", defaultValue = "text", description = "text (Markdown), json, or html: the release's"
      + " page (each criterion's evidence drawn over time) as one file that needs no network")
  Format output;

  @Override
  public Integer call() throws Exception {
    List<WorkflowExecutionHistory> runs = connection.runsOf(source);
    if (output == Format.html) {
      return page(runs);
    }
    PolicyLoader.Loaded loaded = revised == null ? null : Policies.load(revised);
    IncidentReview review;
    try {
      java.nio.file.Path bundle = EvidenceCommand.bundle(source);
      ReleaseReport report = bundle == null ? null : RipcordCli.JSON.readValue(
          java.nio.file.Files.readAllBytes(bundle.resolve("report.json")), ReleaseReport.class);
      review = IncidentReview.of(runs, report, loaded == null ? null : loaded.policy(),
          loaded == null ? null : loaded.hash());
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("ripcord: " + e.getMessage());
      return RipcordCli.CHECK_FAILED;
    }
    if (output == Format.json) {
      spec.commandLine().getOut().println(RipcordCli.JSON.writeValueAsString(review));
    } else {
      spec.commandLine().getOut().print(review.markdown());
      spec.commandLine().getOut().flush();
    }
    return RipcordCli.OK;
  }

  /** The release page of these runs: the report from the bundle, the finished run, or the live release. */
  private int page(List<WorkflowExecutionHistory> runs) throws Exception {
    java.nio.file.Path bundle = EvidenceCommand.bundle(source);
    ReleaseReport report = bundle == null ? null : RipcordCli.JSON.readValue(
        java.nio.file.Files.readAllBytes(bundle.resolve("report.json")), ReleaseReport.class);
    boolean live = bundle == null && !java.nio.file.Files.isRegularFile(java.nio.file.Path.of(source));
    if (report == null && live && !runs.get(runs.size() - 1).getLastEvent()
        .hasWorkflowExecutionCompletedEventAttributes()) {
      try (var client = connection.connect()) {
        report = client.release(source).report(); // still running: its account so far
      }
    }
    try {
      spec.commandLine().getOut().print(EvidencePage.html(EvidenceAssembly.of(runs, report), null));
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("ripcord: " + source + ": " + e.getMessage());
      return RipcordCli.CHECK_FAILED;
    }
    spec.commandLine().getOut().flush();
    return RipcordCli.OK;
  }
}
