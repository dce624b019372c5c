package dev.ripcord.starter.cli;

import dev.ripcord.starter.client.RipcordClient;
import dev.ripcord.workflows.approval.HumanDecision;
import dev.ripcord.workflows.approval.HumanDecisions;
import dev.ripcord.workflows.release.DecisionAnswer;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * approve / reject / pause / resume / rollback: sent as the {@code decide} update, so the answer (accepted or refused,
 * with the reason) comes back; exit 1 when refused. Both are in the audit log.
 */
abstract class DecisionCommand implements Callable<Integer> {
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

  @Option(names = "--output", defaultValue = "text", description = "text or json")
  RipcordCli.Output output;

  abstract String decision();

  /** Only {@code investigate} has an outcome. */
  String outcome() {
    return null;
  }

  /** Only {@code rollback} can be break-glass. */
  Boolean now() {
    return null;
  }

  @Override
  public Integer call() throws Exception {
    HumanDecision d = new HumanDecision(decision(), by, role, comment, outcome(), now(), token.token());
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
        out.println(decision() + " accepted from " + a.by() + " (" + a.role() + "); release is " + a.state());
      } else {
        out.println(decision() + " refused: " + a.reason());
      }
      return a.accepted() ? RipcordCli.OK : RipcordCli.CHECK_FAILED;
    }
  }

  @Command(name = "approve", mixinStandardHelpOptions = true,
      description = "Approve what the release is waiting for (rollback, promotion, resuming after an investigation).",
      footer = {"", "Example:", "  ripcord approve release-support-chat-chat-2026-11-b --by alice@example.com "
          + "--role safety-lead --comment 'confirmed'"})
  static final class Approve extends DecisionCommand {
    String decision() {
      return "approve";
    }
  }

  @Command(name = "reject", mixinStandardHelpOptions = true, description = "Reject what the release is waiting for.",
      footer = {"", "Example:", "  ripcord reject release-support-chat-chat-2026-11-b --by carol@example.com"})
  static final class Reject extends DecisionCommand {
    String decision() {
      return "reject";
    }
  }

  @Command(name = "pause", mixinStandardHelpOptions = true,
      description = "Hold exposure where it is (criteria are still watched).",
      footer = {"", "Example:", "  ripcord pause release-support-chat-chat-2026-11-b --by bob@example.com"})
  static final class Pause extends DecisionCommand {
    String decision() {
      return "pause";
    }
  }

  @Command(name = "resume", mixinStandardHelpOptions = true, description = "Resume a paused release.",
      footer = {"", "Example:", "  ripcord resume release-support-chat-chat-2026-11-b --by alice@example.com"})
  static final class Resume extends DecisionCommand {
    String decision() {
      return "resume";
    }
  }

  @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Roll back now.",
      footer = {"", "Examples:", "  ripcord rollback release-support-chat-chat-2026-11-b --by carol@example.com "
          + "--comment 'customer reports'",
          "  ripcord rollback release-support-chat-chat-2026-11-b --by carol@example.com --now "
          + "--comment 'hallucinating 7x'"})
  static final class Rollback extends DecisionCommand {
    @Option(names = "--now", description = "break-glass: the candidate to 0 %% in one step, skipping the rollback's"
        + " staged holds (and any approval the release waits for); marked break-glass in status, audit and review")
    boolean now;

    String decision() {
      return "rollback";
    }

    @Override
    Boolean now() {
      return now ? Boolean.TRUE : null;
    }
  }

  @Command(name = "investigate", mixinStandardHelpOptions = true,
      description = "End an investigation after a pause-and-investigate trigger: continue, rollback or hold.",
      footer = {"", "Example:", "  ripcord investigate release-support-chat-chat-2026-11-b --by alice@example.com "
          + "--outcome continue --comment 'labelling error in the es slice'"})
  static final class Investigate extends DecisionCommand {
    @Option(names = "--outcome", required = true, description = "continue, rollback or hold")
    String outcome;

    String decision() {
      return "investigate";
    }

    @Override
    String outcome() {
      return outcome;
    }
  }
}
