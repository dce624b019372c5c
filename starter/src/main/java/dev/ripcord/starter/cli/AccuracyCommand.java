package dev.ripcord.starter.cli;

import dev.ripcord.starter.client.RipcordClient;
import dev.ripcord.workflows.ledger.AccuracyLedger;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** How well the guard does, from the accuracy ledger. */
@Command(name = "accuracy", mixinStandardHelpOptions = true,
    header = "Print how well the guard does, per policy and criterion, from the accuracy ledger.",
    description = {"Print the accuracy ledger: per policy and criterion, labelled releases, rollbacks that were right,",
        "false rollbacks, missed incidents, incidents prevented, mean time to detect and bad outputs served before",
        "mitigation. Use it to tune thresholds (docs/criteria.md, \"Tuning with the accuracy ledger\")."},
    footer = {"", "Examples:", "  ripcord accuracy",
        "  ripcord accuracy --policy support-chat --since 2026-11-01 --output json"})
final class AccuracyCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

  @Option(names = "--policy", description = "one policy only (its release's model)")
  String policy;

  @Option(names = "--since", description = "labels from this day (YYYY-MM-DD) or instant on")
  String since;

  @Option(names = "--output", defaultValue = "text", description = "text or json")
  RipcordCli.Output output;

  @Override
  public Integer call() throws Exception {
    String from = null;
    if (since != null) {
      try {
        from = since.contains("T") ? Instant.parse(since).toString()
            : LocalDate.parse(since).atStartOfDay().toInstant(ZoneOffset.UTC).toString();
      } catch (RuntimeException e) {
        spec.commandLine().getErr().println("ripcord: --since must be a day (2026-11-01) or an instant"
            + " (2026-11-01T00:00:00Z), got '" + since + "'");
        return RipcordCli.USAGE;
      }
    }
    AccuracyLedger.Accuracy a;
    try (RipcordClient client = connection.connect()) {
      try {
        a = client.ledger().accuracy(policy, from);
      } catch (io.temporal.client.WorkflowNotFoundException e) {
        a = new AccuracyLedger.Accuracy(policy, from, 0, java.util.List.of());
      }
    }
    var out = spec.commandLine().getOut();
    if (output == RipcordCli.Output.json) {
      out.println(RipcordCli.JSON.writeValueAsString(a));
      return RipcordCli.OK;
    }
    if (a.rows().isEmpty()) {
      out.println("no labelled releases" + (policy == null ? "" : " for " + policy) + (from == null ? ""
          : " since " + from) + "; label one with: ripcord label RELEASE_ID --outcome ... --by ...");
      return RipcordCli.OK;
    }
    out.printf("%-20s %-28s %5s %5s %5s %5s %5s %8s %10s %8s%n", "policy", "criterion", "n", "right", "false",
        "miss", "prev", "false%", "detect", "bad");
    for (AccuracyLedger.Row r : a.rows()) {
      out.printf(Locale.ROOT, "%-20s %-28s %5d %5d %5d %5d %5d %8s %10s %8s%n", r.policy(), r.criterion(),
          r.labelled(), r.rightRollbacks(), r.falseRollbacks(), r.missedIncidents(), r.incidentsPrevented(),
          r.falseRollbackShare() == null ? "-" : String.format(Locale.ROOT, "%.0f%%", 100 * r.falseRollbackShare()),
          r.meanTimeToDetectMillis() == null ? "-" : dev.ripcord.workflows.policy.Durations.format(
              Duration.ofMillis(r.meanTimeToDetectMillis() / 1000 * 1000)),
          r.badOutputs() == null ? "-" : r.badOutputs().toString());
    }
    out.println(a.releases() + " labelled release(s)");
    return RipcordCli.OK;
  }
}
