package dev.ripcord.starter.cli;

import dev.ripcord.activities.evidence.view.ReleaseList;
import dev.ripcord.starter.client.RipcordClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "list", mixinStandardHelpOptions = true, header = "List the releases in the namespace.",
    description = {"List the releases in the namespace from Temporal's visibility, newest first (at most 200): id,",
        "model, candidate, state, stage, age. A server without advanced visibility (Temporal's Java test server)",
        "cannot answer; the dev server and a server on PostgreSQL or Elasticsearch can."},
    footer = {"", "Examples:", "  ripcord list --state AWAITING_ROLLBACK_APPROVAL",
        "  ripcord list --model support-chat --output json"})
final class ListCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

  @Option(names = "--model", description = "only releases of this model")
  String model;

  @Option(names = "--state", description = "only releases in this state (e.g. ROLLING_OUT, ROLLED_BACK)")
  String state;

  @Option(names = "--output", defaultValue = "text", description = "text or json")
  RipcordCli.Output output;

  @Override
  public Integer call() throws Exception {
    try {
      ReleaseList.query(model, state); // a bad filter is refused before connecting
    } catch (IllegalArgumentException e) {
      spec.commandLine().getErr().println("ripcord: --model/--state: " + e.getMessage());
      return RipcordCli.USAGE;
    }
    List<ReleaseList.Row> rows;
    try (RipcordClient client = connection.connect()) {
      rows = client.list(model, state);
    }
    var out = spec.commandLine().getOut();
    if (output == RipcordCli.Output.json) {
      out.println(RipcordCli.JSON.writeValueAsString(rows));
      return RipcordCli.OK;
    }
    out.printf("%-44s %-16s %-12s %-26s %-12s %s%n", "RELEASE", "MODEL", "CANDIDATE", "STATE", "STAGE", "AGE");
    Instant now = Instant.now();
    for (ReleaseList.Row r : rows) {
      out.printf("%-44s %-16s %-12s %-26s %-12s %s%n", r.releaseId(), dash(r.model()), dash(r.candidate()),
          dash(r.state()), dash(r.stage()), ReleaseList.age(Duration.between(Instant.parse(r.started()), now)));
    }
    return RipcordCli.OK;
  }

  private static String dash(String s) {
    return s == null ? "-" : s;
  }
}
