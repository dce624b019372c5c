package dev.ripcord.starter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.activities.evidence.EvidenceBundles;
import dev.ripcord.workflows.activity.EvidenceActivities;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Evidence bundles: the release's evidence kept beyond the namespace's retention ({@code evidence.store}). */
@Command(name = "evidence", mixinStandardHelpOptions = true,
    header = "Check evidence bundles written to a policy's evidence.store.",
    description = "Check evidence bundles written to a policy's evidence.store (see docs/evidence.md).",
    subcommands = EvidenceCommand.Verify.class)
final class EvidenceCommand {

  /** A bundle given as a {@code file:} URI or its directory, or null when {@code source} is neither. */
  static Path bundle(String source) {
    Path dir;
    if (source.startsWith("file:")) {
      dir = Path.of(URI.create(source));
    } else {
      dir = Path.of(source);
    }
    return Files.isRegularFile(dir.resolve(EvidenceBundles.MANIFEST)) ? dir : null;
  }

  /** Every run's history in a bundle, oldest first. */
  static List<WorkflowExecutionHistory> runs(Path bundle) throws java.io.IOException {
    Pattern run = Pattern.compile("runs/run-(\\d+)\\.json");
    Map<Integer, String> files = new java.util.TreeMap<>();
    EvidenceBundles.manifest(bundle).path("files").fieldNames().forEachRemaining(f -> {
      Matcher m = run.matcher(f);
      if (m.matches()) {
        files.put(Integer.parseInt(m.group(1)), f);
      }
    });
    List<WorkflowExecutionHistory> out = new ArrayList<>();
    for (String f : files.values()) {
      out.add(dev.ripcord.starter.history.HistoryReplay.readable(
          WorkflowExecutionHistory.fromJson(Files.readString(bundle.resolve(f)))));
    }
    return out;
  }

  /** The evidence references a release's histories recorded (the WriteEvidence results), oldest first. */
  static List<EvidenceActivities.EvidenceRef> recorded(List<WorkflowExecutionHistory> runs) throws Exception {
    List<EvidenceActivities.EvidenceRef> refs = new ArrayList<>();
    for (WorkflowExecutionHistory h : runs) {
      Map<Long, String> types = new HashMap<>();
      for (HistoryEvent e : h.getEvents()) {
        if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
          types.put(e.getEventId(), e.getActivityTaskScheduledEventAttributes().getActivityType().getName());
        } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
          var a = e.getActivityTaskCompletedEventAttributes();
          if (EvidenceActivities.WRITE_EVIDENCE.equals(types.get(a.getScheduledEventId()))
              && a.getResult().getPayloadsCount() > 0) {
            refs.add(RipcordCli.JSON.readValue(a.getResult().getPayloads(0).getData().toByteArray(),
                EvidenceActivities.EvidenceRef.class));
          }
        }
      }
    }
    return refs;
  }

  @Command(name = "verify", mixinStandardHelpOptions = true,
      header = "Check an evidence bundle's digests, or every bundle a release recorded.",
      description = {"Check an evidence bundle's digests: the manifest against the bundle's name, every file against",
          "the manifest; for a RELEASE_ID, every bundle its history recorded, against the digest recorded there.",
          "Exit 0 when all are intact, 1 when anything was changed, is missing or was added."},
      footer = {"", "Examples:", "  ripcord evidence verify file:///var/lib/ripcord/evidence/sha256-3f1c…",
          "  ripcord evidence verify release-support-chat-chat-2026-11-b --output json"})
  static final class Verify implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

    @Parameters(paramLabel = "URI|RELEASE_ID")
    String source;

    @Option(names = "--output", defaultValue = "text", description = "text or json")
    RipcordCli.Output output;

    @Override
    public Integer call() throws Exception {
      List<EvidenceBundles.Verification> checked = new ArrayList<>();
      Path direct = bundle(source);
      if (direct != null) {
        checked.add(EvidenceBundles.verify(direct, null));
      } else if (source.startsWith("file:") || source.contains("/")) {
        spec.commandLine().getErr().println("ripcord: no evidence bundle at " + source + " (no "
            + EvidenceBundles.MANIFEST + ")");
        return RipcordCli.CHECK_FAILED;
      } else {
        List<EvidenceActivities.EvidenceRef> refs = recorded(connection.runsOf(source));
        if (refs.isEmpty()) {
          spec.commandLine().getErr().println("ripcord: " + source + " recorded no evidence bundle (does its policy"
              + " name an evidence.store?)");
          return RipcordCli.CHECK_FAILED;
        }
        for (var ref : refs) {
          Path dir = Path.of(URI.create(ref.uri()));
          checked.add(Files.isDirectory(dir) ? EvidenceBundles.verify(dir, ref.digest())
              : new EvidenceBundles.Verification(URI.create(ref.uri()), ref.digest(), 0,
                  List.of("the bundle the history recorded is not there")));
        }
      }
      var out = spec.commandLine().getOut();
      if (output == RipcordCli.Output.json) {
        List<Map<String, Object>> all = new ArrayList<>();
        for (var v : checked) {
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("uri", v.uri().toString());
          m.put("digest", v.digest());
          m.put("ok", v.ok());
          m.put("problems", v.problems());
          all.add(m);
        }
        out.println(RipcordCli.JSON.writeValueAsString(all));
      } else {
        for (var v : checked) {
          out.println((v.ok() ? "ok " : "FAILED ") + v.uri() + " " + v.digest() + " (" + v.files() + " files)"
              + (v.ok() ? "" : ": " + String.join("; ", v.problems())));
        }
      }
      return checked.stream().allMatch(EvidenceBundles.Verification::ok) ? RipcordCli.OK : RipcordCli.CHECK_FAILED;
    }
  }

  /** The observation windows of a bundle, one JSON object each, oldest first. */
  static List<JsonNode> observations(Path bundle) throws java.io.IOException {
    List<JsonNode> out = new ArrayList<>();
    for (String line : Files.readAllLines(bundle.resolve("observations.jsonl"))) {
      if (!line.isBlank()) {
        out.add(RipcordCli.JSON.readTree(line).path("window"));
      }
    }
    return out;
  }
}
