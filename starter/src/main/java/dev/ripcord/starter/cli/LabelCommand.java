package dev.ripcord.starter.cli;

import dev.ripcord.starter.client.RipcordClient;
import dev.ripcord.workflows.ledger.LabelRequest;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Labels a finished release's outcome in the accuracy ledger. */
@Command(name = "label", mixinStandardHelpOptions = true,
    header = "Label a finished release's outcome in the accuracy ledger.",
    description = {"Label a finished release's outcome in the accuracy ledger: rollback-was-right, false-rollback,",
        "missed-incident (found later; say when with --found-at) or incident-prevented. Only the principals of the",
        "roles holding the release's rollback right may label it; a later label replaces an earlier one. A release",
        "that verifies identity takes labels only with a token from its issuer (--token-file, RIPCORD_TOKEN).",
        "Exit 0 when the ledger took it, 1 when it refused it (the reason is printed)."},
    footer = {"", "Examples:",
        "  ripcord label release-support-chat-chat-2026-11-b --outcome false-rollback --by alice@example.com "
            + "--comment 'judge timeouts'",
        "  ripcord label release-support-chat-chat-2026-11-c --outcome missed-incident --by alice@example.com "
            + "--found-at 2026-12-03T09:00:00Z"})
final class LabelCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

  @Parameters(paramLabel = "RELEASE_ID")
  String releaseId;

  @Option(names = "--outcome", required = true,
      description = "rollback-was-right, false-rollback, missed-incident or incident-prevented")
  String outcome;

  @Option(names = "--by", description = "who labels it, as listed in the release's governance.roles (under verified"
      + " identity the token names you instead)")
  String by;

  @picocli.CommandLine.Mixin TokenOption token = new TokenOption();

  @Option(names = "--role", description = "the role you label in (default: any of yours that holds the rollback right)")
  String role;

  @Option(names = "--comment", description = "why, for the ledger's log")
  String comment;

  @Option(names = "--found-at", description = "for missed-incident: when it was found (ISO-8601)")
  String foundAt;

  @Option(names = "--task-queue", defaultValue = ReleaseWorkflow.TASK_QUEUE,
      description = "where the ledger runs if it must be started (default: ${DEFAULT-VALUE})")
  String taskQueue;

  @Override
  public Integer call() throws Exception {
    LabelRequest q = new LabelRequest(releaseId, outcome, by, role, comment, foundAt,
        token.forRelease(connection, releaseId, by));
    List<String> problems = LabelRequest.check(q);
    if (!problems.isEmpty()) {
      spec.commandLine().getErr().println("ripcord: " + String.join("; ", problems));
      return RipcordCli.USAGE;
    }
    try (RipcordClient client = connection.connect()) {
      String line = client.label(q, taskQueue, Duration.ofSeconds(30));
      if (line == null) {
        spec.commandLine().getErr().println("ripcord: the ledger did not answer within 30 s; is a worker running on "
            + taskQueue + "? (the label waits in the ledger until one is)");
        return RipcordCli.RUNTIME;
      }
      spec.commandLine().getOut().println(line.substring(line.indexOf(' ') + 1));
      return line.contains(" LABELLED ") ? RipcordCli.OK : RipcordCli.CHECK_FAILED;
    }
  }
}
