package dev.ripcord.starter.cli;

import dev.ripcord.workflows.policy.ConsistencyChecks;
import dev.ripcord.workflows.policy.InvalidPolicyException;
import dev.ripcord.workflows.policy.PolicyLoader;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "policy", mixinStandardHelpOptions = true, description = "Work with release policies.",
    subcommands = {PolicyCommand.Validate.class, PolicyCommand.Schema.class, PolicyCommand.Forms.class})
final class PolicyCommand {

  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Check policy files; print every problem with its field path and a hint. Exit 1 if any is invalid.",
      footer = {"", "Example:", "  ripcord policy validate examples/*.yaml"})
  static final class Validate implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Parameters(arity = "1..*", paramLabel = "FILE", description = "policy files (YAML or JSON)")
    List<Path> files;

    @Option(names = "--output", defaultValue = "text", description = "text or json")
    RipcordCli.Output output;

    @Override
    public Integer call() throws Exception {
      int rc = RipcordCli.OK;
      var out = spec.commandLine().getOut();
      for (Path f : files) {
        try {
          PolicyLoader.Loaded l = Policies.load(f);
          var warnings = ConsistencyChecks.warnings(l.policy());
          if (output == RipcordCli.Output.json) {
            var answer = new java.util.LinkedHashMap<String, Object>(java.util.Map.of("file", f.toString(), "valid",
                true, "releaseId", l.policy().releaseId(), "hash", l.hash()));
            if (l.policy().release().bundleId() != null) {
              answer.put("bundle", l.policy().release().bundleId());
            }
            if (!warnings.isEmpty()) {
              answer.put("warnings", warnings);
            }
            out.println(RipcordCli.JSON.writeValueAsString(answer));
          } else {
            String bundle = l.policy().release().bundleId();
            out.println(f + ": ok (release " + l.policy().releaseId() + ", " + l.policy().stages().size() + " stages, "
                + l.policy().criteria().size() + " criteria, " + l.hash() + (bundle == null ? "" : ", " + bundle)
                + ")");
            warnings.forEach(w -> out.println("  warning: " + w.path() + ": " + w.message()
                + (w.hint() == null ? "" : "\n      hint: " + w.hint())));
          }
        } catch (InvalidPolicyException e) {
          rc = RipcordCli.CHECK_FAILED;
          if (output == RipcordCli.Output.json) {
            out.println(RipcordCli.JSON.writeValueAsString(java.util.Map.of("file", f.toString(), "valid", false,
                "problems", e.problems())));
          } else {
            out.println(f + ": " + e.problems().size() + " problem" + (e.problems().size() == 1 ? "" : "s"));
            e.problems().forEach(p -> out.println("  " + (p.line() == null ? "" : f + ":" + p.line() + ":"
                + p.column() + ": ") + p.path() + ": " + p.message() + (p.hint() == null ? ""
                : "\n      hint: " + p.hint())));
          }
        }
      }
      return rc;
    }
  }

  @Command(name = "schema", mixinStandardHelpOptions = true,
      description = "Print the policy's JSON Schema (draft 2020-12), generated from the policy model, for editors.",
      footer = {"", "Example:", "  ripcord policy schema > ripcord-policy.schema.json",
          "  then, at the top of a policy: # yaml-language-server: $schema=ripcord-policy.schema.json"})
  static final class Schema implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      spec.commandLine().getOut().println(RipcordCli.JSON.writerWithDefaultPrettyPrinter()
          .writeValueAsString(dev.ripcord.starter.schema.PolicySchema.generate()));
      return RipcordCli.OK;
    }
  }

  @Command(name = "forms", mixinStandardHelpOptions = true,
      description = "Print the forms a criterion's condition can take (a Markdown table: how each is written, what it"
          + " decides), as docs/criteria.md shows them.")
  static final class Forms implements Callable<Integer> {
    @Spec CommandSpec spec;

    @Override
    public Integer call() {
      spec.commandLine().getOut().print(dev.ripcord.workflows.policy.LeafKind.referenceTable());
      spec.commandLine().getOut().flush();
      return RipcordCli.OK;
    }
  }
}
