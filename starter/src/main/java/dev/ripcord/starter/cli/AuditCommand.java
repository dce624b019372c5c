package dev.ripcord.starter.cli;

import dev.ripcord.starter.client.RipcordClient;
import dev.ripcord.workflows.audit.AuditEntry;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "audit", mixinStandardHelpOptions = true,
    description = "Print a release's audit log: decisions with their numbers, approvals and refusals, router changes.",
    footer = {"", "Example:", "  ripcord audit release-support-chat-chat-2026-11-b --output json"})
final class AuditCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

  @Parameters(paramLabel = "RELEASE_ID")
  String releaseId;

  @Option(names = "--output", defaultValue = "text", description = "text or json")
  RipcordCli.Output output;

  @Override
  public Integer call() throws Exception {
    try (RipcordClient client = connection.connect()) {
      List<AuditEntry> audit = client.audit(releaseId);
      if (output == RipcordCli.Output.json) {
        spec.commandLine().getOut().println(RipcordCli.JSON.writeValueAsString(audit));
      } else {
        audit.forEach(spec.commandLine().getOut()::println);
        // Which worker builds ran it (Worker Versioning), from every run's history.
        var builds = dev.ripcord.activities.temporal.RunBuilds.of(client.allRuns(releaseId).stream()
            .flatMap(run -> run.getEvents().stream()).toList());
        spec.commandLine().getOut().println("ran on: " + String.join(", ", builds));
      }
    }
    return RipcordCli.OK;
  }
}
