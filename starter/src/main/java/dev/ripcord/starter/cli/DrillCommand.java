package dev.ripcord.starter.cli;

import dev.ripcord.starter.drill.Drill;
import dev.ripcord.starter.drill.DrillScenario;
import dev.ripcord.workflows.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "drill", mixinStandardHelpOptions = true,
    description = {"A tabletop exercise in seconds: the real release workflow on an embedded, time-skipping Temporal,",
        "against a scripted scenario (which signals go bad when, who answers which decision when or never).",
        "Prints the timeline and each expectation; exit 0 when all pass, 1 when one fails (keep drills in CI)."},
    footer = {"", "Example:", "  ripcord drill --policy examples/conversational-agent.yaml "
        + "--scenario examples/drills/hallucinations-when-exposed.yaml"})
final class DrillCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--policy", required = true, description = "policy file (YAML or JSON)")
  Path policy;

  @Option(names = "--scenario", required = true, description = "drill scenario (YAML)")
  Path scenario;

  @Override
  public Integer call() throws Exception {
    PolicyLoader.Loaded loaded = Policies.load(policy);
    DrillScenario s;
    try {
      s = Drill.load(Policies.read(scenario), loaded.policy());
    } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
      spec.commandLine().getErr().println("ripcord: " + scenario + ": " + e.getMessage());
      return RipcordCli.USAGE;
    }
    var out = spec.commandLine().getOut();
    out.println("drill: " + (s.name() == null ? scenario : s.name()) + " against " + loaded.policy().releaseId());
    Drill.Result r = Drill.run(loaded, s);
    r.timeline().forEach(l -> out.println("  " + l));
    out.println();
    r.checks().forEach(out::println);
    out.println(r.passed() ? "drill passed" : "drill FAILED");
    return r.passed() ? RipcordCli.OK : RipcordCli.CHECK_FAILED;
  }
}
