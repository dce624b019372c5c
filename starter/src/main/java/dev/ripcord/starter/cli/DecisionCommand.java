package dev.ripcord.starter.cli;

import dev.ripcord.starter.client.RipcordClient;
import dev.ripcord.workflows.approval.DecisionKind;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.approval.HumanDecisions;
import dev.ripcord.workflows.release.DecisionAnswer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * One command per {@link DecisionKind} (approve, reject, pause, resume, rollback, investigate, and any kind added to
 * that list), built from the kind: its name, description and the options of its extra fields. Sent as the
 * {@code decide} update, so the answer (accepted or refused, with the reason) comes back; exit 1 when refused. Both are
 * in the audit log.
 */
@Command(mixinStandardHelpOptions = true)
final class DecisionCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

  @Parameters(paramLabel = "RELEASE_ID")
  String releaseId;

  @Option(names = "--by", description = "who decides, as listed in the policy's governance.roles (under verified"
      + " identity the token names you instead)")
  String by;

  @Mixin TokenOption token = new TokenOption();

  @Option(names = "--role", description = "the role you act in (default: your first role that holds the right)")
  String role;

  @Option(names = "--comment", description = "why, for the audit log")
  String comment;

  @Option(names = "--outcome", description = "continue, rollback or hold")
  String outcome;

  @Option(names = "--now", description = "break-glass: the candidate to 0 %% in one step, skipping the rollback's"
      + " staged holds (and any approval the release waits for); marked break-glass in status, audit and review")
  boolean now;

  @Option(names = "--output", defaultValue = "text", description = "text or json")
  RipcordCli.Output output;

  private final DecisionKind kind;

  private DecisionCommand(DecisionKind kind) {
    this.kind = kind;
  }

  /** The command for {@code kind}: named for it, described by it, with only the options of the fields it takes. */
  static CommandLine of(DecisionKind kind) {
    CommandLine line = new CommandLine(new DecisionCommand(kind));
    CommandSpec s = line.getCommandSpec();
    s.name(kind.signal());
    for (String field : List.of("outcome", "now")) {
      if (!kind.extraFields().contains(field)) {
        s.remove(s.findOption("--" + field));
      }
    }
    String example = "  ripcord " + kind.signal() + " release-support-chat-chat-2026-11-b --by alice@example.com"
        + (kind.extraFields().contains("outcome") ? " --outcome continue" : "")
        + " --comment 'why, for the audit log'";
    s.usageMessage().description(kind.description().replace("%", "%%")).footer("", "Example:", example);
    return line;
  }

  @Override
  public Integer call() throws Exception {
    HumanDecision d = new HumanDecision(kind.signal(), by, role, comment, outcome, now ? Boolean.TRUE : null,
        token.forRelease(connection, releaseId, by));
    List<String> problems = HumanDecisions.check(d);
    if (!problems.isEmpty()) {
      spec.commandLine().getErr().println("ripcord: " + String.join("; ", problems));
      return RipcordCli.USAGE;
    }
    try (RipcordClient client = connection.connect()) {
      DecisionAnswer a = client.decide(releaseId, d);
      var out = spec.commandLine().getOut();
      if (output == RipcordCli.Output.json) {
        out.println(RipcordCli.JSON.writeValueAsString(a));
      } else if (a.accepted()) {
        out.println(kind.signal() + " accepted from " + a.by() + " (" + a.role() + "); release is " + a.state());
      } else {
        out.println(kind.signal() + " refused: " + a.reason());
      }
      return a.accepted() ? RipcordCli.OK : RipcordCli.CHECK_FAILED;
    }
  }
}
