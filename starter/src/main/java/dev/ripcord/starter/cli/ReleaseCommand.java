package dev.ripcord.starter.cli;

import dev.ripcord.starter.client.RipcordClient;
import dev.ripcord.workflows.policy.PolicyLoader;
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

    @Override
    public Integer call() throws Exception {
      PolicyLoader.Loaded loaded = Policies.load(policy); // throws with every problem before anything starts
      try (RipcordClient client = connection.connect()) {
        String id = client.start(loaded, taskQueue, by, token.token());
        spec.commandLine().getOut().println("started " + id + " (policy " + loaded.hash() + ")");
        spec.commandLine().getOut().println("watch it:  ripcord watch " + id);
      }
      return RipcordCli.OK;
    }
  }
}
