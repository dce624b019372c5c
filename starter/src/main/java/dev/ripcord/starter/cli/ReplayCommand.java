package dev.ripcord.starter.cli;

import dev.ripcord.starter.history.HistoryReplay;
import dev.ripcord.starter.history.HistoryTimeline;
import dev.ripcord.starter.history.WindowVerdicts;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "replay", mixinStandardHelpOptions = true,
    header = "Replay exported histories against today's workflow code and print their timelines.",
    description = {"Replay exported histories against today's workflow code (a determinism check) and print the",
        "audit timeline each history holds. Exit 0 when all replay clean, 1 naming the offending event otherwise."},
    footer = {"", "Example:", "  ripcord replay ripcord-demo-history.json",
        "  ripcord replay --quiet workflows/src/test/resources/histories/*.json"})
final class ReplayCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "HISTORY.json")
  List<Path> files;

  @Option(names = "--quiet", description = "only the verdict per history, no timeline")
  boolean quiet;

  @Option(names = "--verbose", description = {"include every observation in the timeline, and list each window",
      "with the verdict the engine gives it (re-derived from the history's policy)"})
  boolean verbose;

  @Option(names = "--output", defaultValue = "text", description = "text or json")
  RipcordCli.Output output;

  @Option(names = "--workflow-class", paramLabel = "CLASS", description = {"replay against this implementation of the",
      "Release workflow instead of the one in this jar (put its classes on the classpath): check a change against",
      "production histories before deploying it"})
  String workflowClass;

  @Option(names = "--codec-keys", paramLabel = "FILE", description = {"the namespace's payload keys file, for",
      "histories exported with encryption on (default: env RIPCORD_CODEC_KEYS)"})
  Path codecKeys;

  @Override
  public Integer call() throws Exception {
    String before = System.getProperty(dev.ripcord.activities.temporal.codec.CodecKeys.PROPERTY);
    if (codecKeys != null) { // the replayer's converter and every history read below take the keys from here
      System.setProperty(dev.ripcord.activities.temporal.codec.CodecKeys.PROPERTY, codecKeys.toString());
    }
    try {
      return replay();
    } finally {
      if (before == null) {
        System.clearProperty(dev.ripcord.activities.temporal.codec.CodecKeys.PROPERTY);
      } else {
        System.setProperty(dev.ripcord.activities.temporal.codec.CodecKeys.PROPERTY, before);
      }
    }
  }

  private Integer replay() throws Exception {
    var out = spec.commandLine().getOut();
    Class<?> implementation = dev.ripcord.workflows.release.ReleaseWorkflowImpl.class;
    if (workflowClass != null) {
      try {
        implementation = Class.forName(workflowClass);
      } catch (ClassNotFoundException e) {
        spec.commandLine().getErr().println("--workflow-class: no class " + workflowClass + " on the classpath; run"
            + " java -cp ripcord.jar:YOUR_CLASSES dev.ripcord.starter.cli.RipcordCli replay --workflow-class ...");
        return RipcordCli.USAGE;
      }
    }
    List<HistoryReplay.Result> results = HistoryReplay.replay(files, implementation);
    boolean allClean = results.stream().allMatch(HistoryReplay.Result::clean);
    if (output == RipcordCli.Output.json) {
      List<Map<String, Object>> json = new ArrayList<>();
      for (HistoryReplay.Result r : results) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("file", r.file().toString());
        m.put("clean", r.clean());
        if (r.error() != null) {
          m.put("error", r.error());
        }
        if (!quiet && r.workflowId() != null) {
          m.put("timeline", HistoryTimeline.of(HistoryReplay.load(r.file()), verbose));
          if (verbose) {
            m.put("windows", WindowVerdicts.of(HistoryReplay.load(r.file())));
          }
        }
        json.add(m);
      }
      out.println(RipcordCli.JSON.writeValueAsString(json));
      return allClean ? RipcordCli.OK : RipcordCli.CHECK_FAILED;
    }
    for (HistoryReplay.Result r : results) {
      out.println((r.clean() ? "clean     " : "NOT CLEAN ") + r.file());
      if (!r.clean()) {
        out.println("  " + r.error().replace("\n", "\n  "));
      }
      if (!quiet && r.workflowId() != null) {
        var history = HistoryReplay.load(r.file());
        HistoryTimeline.of(history, verbose).forEach(l -> out.println("  " + l));
        List<WindowVerdicts.Window> windows = verbose ? WindowVerdicts.of(history) : List.of();
        if (!windows.isEmpty()) {
          out.println("  windows and verdicts" + (WindowVerdicts.continued(history) ? " (a continued run: evidence"
              + " re-derived from this run's windows only, not from those of the runs before it)" : "") + ":");
          windows.forEach(w -> out.println("    " + w));
        }
        out.println();
      }
    }
    out.println(results.stream().filter(HistoryReplay.Result::clean).count() + " of " + results.size()
        + " histories replay clean");
    return allClean ? RipcordCli.OK : RipcordCli.CHECK_FAILED;
  }
}
