package dev.ripcord.starter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.starter.client.RipcordClient;
import dev.ripcord.workflows.approval.RereleaseRequest;
import dev.ripcord.workflows.release.DecisionAnswer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * Re-release a rolled-back release with the fix: sent as the {@code request-rerelease} update, so the answer comes
 * back (exit 1 when refused). A revised policy is validated here first, like {@code release start}.
 */
@Command(name = "rerelease", mixinStandardHelpOptions = true,
    description = "Roll a fixed version out again on a rolled-back release (same release id, new run).",
    footer = {"", "Examples:",
        "  ripcord rerelease release-support-chat-chat-2026-11-b --by alice@example.com --candidate chat-2026-11-c "
            + "--eval-report eval-2026-11-19 --comment 'grounding fix'",
        "  ripcord rerelease release-support-chat-chat-2026-11-b --by alice@example.com --candidate chat-2026-11-c "
            + "--policy revised.yaml   # e.g. tightened criteria; same model, baseline and router",
        "  ripcord rerelease release-support-chat-chat-2026-11-b --by alice@example.com --policy prompt-fix.yaml"
            + "   # same weights, release.bundle names the fixed system prompt"})
final class RereleaseCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

  @Parameters(paramLabel = "RELEASE_ID")
  String releaseId;

  @Option(names = "--by", description = "who re-releases, as listed in the policy's governance.roles (under verified"
      + " identity the token names you instead)")
  String by;

  @Mixin TokenOption token = new TokenOption();

  @Option(names = "--role", description = "the role you act in (default: your first role that holds the right)")
  String role;

  @Option(names = "--candidate", description = "the fixed version")
  String candidate;

  @Option(names = "--eval-report", description = "the eval report that shows the fix")
  String evalReport;

  @Option(names = "--comment", description = "why, for the audit log")
  String comment;

  @Option(names = "--policy", description = "a revised policy file (YAML or JSON); its candidate is replaced by"
      + " --candidate. A release.bundle that changes a part (e.g. only the system prompt) is itself the fix")
  Path policy;

  @Option(names = "--output", defaultValue = "text", description = "text or json")
  RipcordCli.Output output;

  @Override
  public Integer call() throws Exception {
    JsonNode revised = policy == null ? null : RipcordCli.JSON.valueToTree(Policies.load(policy).policy());
    RereleaseRequest request = new RereleaseRequest(by, role, candidate, evalReport, comment, revised,
        token.forRelease(connection, releaseId, by));
    List<String> problems = RereleaseRequest.check(request);
    if (!problems.isEmpty()) {
      spec.commandLine().getErr().println("ripcord: " + String.join("; ", problems));
      return RipcordCli.USAGE;
    }
    try (RipcordClient client = connection.connect()) {
      DecisionAnswer a = client.rerelease(releaseId, request);
      var out = spec.commandLine().getOut();
      if (output == RipcordCli.Output.json) {
        out.println(RipcordCli.JSON.writeValueAsString(a));
      } else if (a.accepted()) {
        out.println("rerelease accepted from " + a.by() + " (" + a.role() + "); " + releaseId
            + " continues as new and rolls the fix out");
      } else {
        out.println("rerelease refused: " + a.reason());
      }
      return a.accepted() ? RipcordCli.OK : RipcordCli.CHECK_FAILED;
    }
  }
}
