package dev.ripcord.starter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.workflows.decision.Backtest;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observations;
import dev.ripcord.workflows.policy.PolicyLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "backtest", mixinStandardHelpOptions = true,
    header = "Run a policy's criteria over recorded observations, one decision per window.",
    description = {"Run a policy's criteria, with the same engine a release runs, over recorded observations",
        "(one JSON object per line, one per evaluation window). Prints one decision per window, then a summary.",
        "Exit 0 when it ran (whatever it decided), 2 when the input is malformed."},
    footer = {"", "Examples:",
        "  ripcord backtest --policy examples/conversational-agent.yaml --observations examples/observations.jsonl",
        "  ripcord history observations incident.json > obs.jsonl && ripcord backtest --policy revised.yaml "
            + "--observations obs.jsonl --output json"})
final class BacktestCommand implements Callable<Integer> {
  private static final ObjectMapper LINE = new ObjectMapper();
  @Spec CommandSpec spec;

  @Option(names = "--policy", required = true, description = "policy file (YAML or JSON)")
  Path policy;

  @Option(names = "--observations", description = "JSONL file, one observation per window")
  Path observations;

  @Option(names = "--evidence", description = "an evidence bundle (file: URI or directory) instead: its windows")
  String evidence;

  @Option(names = "--output", defaultValue = "text", description = "text or json (JSON lines, then a summary line)")
  RipcordCli.Output output;

  @Override
  public Integer call() throws Exception {
    PolicyLoader.Loaded loaded = Policies.load(policy);
    if ((observations == null) == (evidence == null)) {
      spec.commandLine().getErr().println("ripcord: give --observations FILE or --evidence URI (one of them)");
      return RipcordCli.USAGE;
    }
    List<String> lines;
    if (evidence != null) {
      Path bundle = EvidenceCommand.bundle(evidence);
      if (bundle == null) {
        spec.commandLine().getErr().println("ripcord: no evidence bundle at " + evidence);
        return RipcordCli.USAGE;
      }
      lines = EvidenceCommand.observations(bundle).stream().map(JsonNode::toString).toList();
    } else {
      lines = Files.readAllLines(observations);
    }
    String source = evidence != null ? evidence + " observations.jsonl" : String.valueOf(observations);
    List<Observation> windows = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      JsonNode node;
      try {
        node = LINE.readTree(lines.get(i));
      } catch (Exception e) {
        spec.commandLine().getErr().println("ripcord: " + source + " line " + (i + 1) + " is not JSON: "
            + e.getMessage().lines().findFirst().orElse(""));
        return RipcordCli.USAGE;
      }
      Observations.Parsed p = Observations.parse(node, loaded.policy());
      if (!p.ok()) {
        spec.commandLine().getErr().println("ripcord: " + source + " line " + (i + 1) + ": " + p.problem());
        return RipcordCli.USAGE;
      }
      windows.add(p.observation());
    }
    Backtest.Result result = Backtest.run(loaded.policy(), windows);
    var out = spec.commandLine().getOut();
    for (WindowVerdict d : result.decisions()) {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("t", d.t());
      m.put("window", d.window());
      m.put("decision", d.verdict().label());
      m.put("fired", d.fired());
      m.put("pending", d.pending());
      m.put("explanation", d.explanation());
      if (output == RipcordCli.Output.json) {
        out.println(LINE.writeValueAsString(m));
      } else {
        out.printf("%4d %-24s %-24s %s%n", d.window(), d.t() == null ? "" : d.t(), d.verdict().label(),
            d.explanation());
      }
    }
    if (output == RipcordCli.Output.json) {
      out.println(LINE.writeValueAsString(Map.of("summary", result.summary())));
    } else {
      out.println();
      out.println(result.summary().sentence());
    }
    return RipcordCli.OK;
  }
}
