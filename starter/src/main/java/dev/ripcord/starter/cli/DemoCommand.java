package dev.ripcord.starter.cli;

import dev.ripcord.starter.demo.Demo;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

@Command(name = "demo", mixinStandardHelpOptions = true,
    header = "Release the example against a simulated model that goes bad; Ripcord rolls it back.",
    description = {"Release the conversational example against a simulated model that starts hallucinating in its",
        "second exposed stage; Ripcord rolls it back. One JVM, nothing to install; exits 0 when it rolled back."},
    footer = {"", "Example:", "  ripcord demo --history ripcord-demo-history.json"})
final class DemoCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--policy", defaultValue = "examples/conversational-agent.yaml",
      description = "policy to release (default ${DEFAULT-VALUE})")
  Path policy;

  @Option(names = "--history", defaultValue = "ripcord-demo-history.json",
      description = "where to write the release's history (default ${DEFAULT-VALUE})")
  Path history;

  @Override
  public Integer call() throws Exception {
    return Demo.exitCode(new Demo(spec.commandLine().getOut()).run(Policies.load(policy), history));
  }
}
