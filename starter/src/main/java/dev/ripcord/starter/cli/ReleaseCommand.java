package dev.ripcord.starter.cli;

import dev.ripcord.starter.client.CliTracing;
import dev.ripcord.starter.client.RipcordClient;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "release", mixinStandardHelpOptions = true, description = "Start releases.",
    subcommands = ReleaseCommand.Start.class)
final class ReleaseCommand {

  @Command(name = "start", mixinStandardHelpOptions = true,
      description = "Validate a policy and start its release (workflow id release-<model>-<candidate>).",
      footer = {"", "Example:",
          "  ripcord release start --policy examples/conversational-agent.yaml --by bob@example.com"})
  static final class Start implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

    @Option(names = "--policy", required = true, description = "policy file (YAML or JSON)")
    Path policy;

    @Option(names = "--task-queue", defaultValue = ReleaseWorkflow.TASK_QUEUE,
        description = "the worker's task queue (default ${DEFAULT-VALUE})")
    String taskQueue;

    @Option(names = "--by", description = "who starts the release, as listed under governance.roles: shown in status"
        + " and audit, and kept from the rights that say notBy: [releaser]")
    String by;

    @Mixin TokenOption token = new TokenOption();

    @Mixin RipcordCli.PagesUrl pages = new RipcordCli.PagesUrl();

    @Option(names = "--traceparent", defaultValue = "${env:TRACEPARENT}",
        description = "W3C traceparent of the pipeline's trace to start the release in (env TRACEPARENT); spans are"
            + " exported when OTEL_EXPORTER_OTLP_ENDPOINT, OTEL_TRACES_EXPORTER or RIPCORD_OTLP_ENDPOINT is set")
    String traceparent;

    @Override
    public Integer call() throws Exception {
      PolicyLoader.Loaded loaded = Policies.load(policy); // throws with every problem before anything starts
      var identity = loaded.policy().governance() == null ? null : loaded.policy().governance().identity();
      String signed = by != null ? token.token() : token.forIssuer(identity != null && identity.requiresTokens()
          ? identity.issuer() : null);
      String pagesUrl = pages.url(); // throws on a malformed address before anything starts
      CliTracing tracing = CliTracing.fromEnvironment(traceparent);
      try (RipcordClient client = connection.connect(tracing)) {
        String id = tracing.inSpan("ripcord release start", () -> client.start(loaded, taskQueue, by, signed,
            pagesUrl));
        spec.commandLine().getOut().println("started " + id + " (policy " + loaded.hash() + ")");
        spec.commandLine().getOut().println("watch it:  ripcord watch " + id);
        if (pagesUrl != null) {
          spec.commandLine().getOut().println("its page:  " + ReleaseInput.page(pagesUrl, id));
        }
      }
      return RipcordCli.OK;
    }
  }
}
