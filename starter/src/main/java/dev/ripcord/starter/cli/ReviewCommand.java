package dev.ripcord.starter.cli;

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
    header = "Write the incident review of a finished release.",
    description = {"Write the incident review of a finished release, from a live release (all its runs) or a history",
        "file: timeline, time to detect and to mitigate, when each criterion first diverged, people's decisions and",
        "their latency, recommendations; with --policy, when a revised policy would have acted on the same windows.",
        "An evidence bundle (file: URI or directory) stands in for the release after Temporal has forgotten it."},
    footer = {"", "Examples:", "  ripcord review incident.json > review.md",
        "  ripcord review release-support-chat-chat-2026-11-b --policy revised.yaml --output json"})
final class ReviewCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

  @Parameters(paramLabel = "RELEASE_ID|HISTORY.json|EVIDENCE_URI")
  String source;

  @Option(names = "--policy", description = "a revised policy to backtest on the incident's observations")
  Path revised;

  @Option(names = "--output", defaultValue = "text", description = "text (Markdown) or json")
  RipcordCli.Output output;

  @Override
  public Integer call() throws Exception {
    List<WorkflowExecutionHistory> runs = connection.runsOf(source);
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
    if (output == RipcordCli.Output.json) {
      spec.commandLine().getOut().println(RipcordCli.JSON.writeValueAsString(review));
    } else {
      spec.commandLine().getOut().print(review.markdown());
      spec.commandLine().getOut().flush();
    }
    return RipcordCli.OK;
  }
}
