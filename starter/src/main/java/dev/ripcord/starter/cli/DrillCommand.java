package dev.ripcord.starter.cli;

import dev.ripcord.sandbox.drill.Drill;
import dev.ripcord.sandbox.drill.DrillScenario;
import dev.ripcord.workflows.drill.DrillRequest;
import dev.ripcord.workflows.policy.Durations;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "drill", mixinStandardHelpOptions = true,
    header = "Rehearse a policy against a scripted scenario on an embedded, time-skipping Temporal.",
    description = {"A tabletop exercise in seconds: the real release workflow on an embedded, time-skipping Temporal,",
        "against a scripted scenario (which signals go bad when, who answers which decision when or never).",
        "Prints the timeline and each expectation; exit 0 when all pass, 1 when one fails (keep drills in CI)."},
    footer = {"", "Example:", "  ripcord drill --policy examples/conversational-agent.yaml "
        + "--scenario examples/drills/hallucinations-when-exposed.yaml",
        "  ripcord drill schedule --policy examples/conversational-agent.yaml "
        + "--scenario examples/drills/hallucinations-when-exposed.yaml --every 24h"},
    subcommands = {DrillCommand.ScheduleDrill.class, DrillCommand.UnscheduleDrill.class})
final class DrillCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--policy", description = "policy file (YAML or JSON); required")
  Path policy;

  @Option(names = "--scenario", description = "drill scenario (YAML); required")
  Path scenario;

  @Option(names = "--limit", defaultValue = "30d",
      description = "stop (and fail) when the release has not ended after this much workflow time (default ${DEFAULT-VALUE})")
  String limit;

  @Option(names = "--wall-limit", defaultValue = "5m",
      description = "stop (and fail) after this much real time (default ${DEFAULT-VALUE})")
  String wallLimit;

  @Option(names = "--output", defaultValue = "text", description = "text or json")
  String output;

  @Override
  public Integer call() throws Exception {
    if (policy == null || scenario == null) {
      spec.commandLine().getErr().println("ripcord: drill needs --policy and --scenario (or: drill schedule ...)");
      return RipcordCli.USAGE;
    }
    PolicyLoader.Loaded loaded = Policies.load(policy);
    DrillScenario s;
    try {
      s = Drill.load(Policies.read(scenario), loaded.policy());
    } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
      spec.commandLine().getErr().println("ripcord: " + scenario + ": " + e.getMessage());
      return RipcordCli.USAGE;
    }
    java.time.Duration workflowTime = Durations.parseOrNull(limit);
    java.time.Duration wallTime = Durations.parseOrNull(wallLimit);
    if (workflowTime == null || wallTime == null || !List.of("text", "json").contains(output)) {
      spec.commandLine().getErr().println("ripcord: " + (workflowTime == null ? "--limit '" + limit + "'"
          : wallTime == null ? "--wall-limit '" + wallLimit + "'" : "--output '" + output + "'") + " is not valid"
          + " (hint: durations such as 6h or 2m; output text or json)");
      return RipcordCli.USAGE;
    }
    var out = spec.commandLine().getOut();
    var err = spec.commandLine().getErr();
    String name = s.name() == null ? scenario.toString() : s.name();
    err.println("drill: " + name + " against " + loaded.policy().releaseId() + " (limits: " + limit
        + " of workflow time, " + wallLimit + " of wall time)");
    Drill.Result r = Drill.run(loaded, s, new Drill.Limits(workflowTime, wallTime, line -> err.println("  " + line)));
    if (output.equals("json")) {
      var json = new com.fasterxml.jackson.databind.ObjectMapper().createObjectNode();
      json.put("drill", name).put("release", loaded.policy().releaseId()).put("passed", r.passed())
          .put("state", r.report().state().name());
      r.checks().forEach(json.putArray("checks")::add);
      r.timeline().forEach(json.putArray("timeline")::add);
      out.println(json.toPrettyString());
    } else {
      r.timeline().forEach(l -> out.println("  " + l));
      out.println();
      r.checks().forEach(out::println);
      out.println(r.passed() ? "drill passed" : "drill FAILED");
    }
    return r.passed() ? RipcordCli.OK : RipcordCli.CHECK_FAILED;
  }

  /** The policy and scenario checked here, as a drill request, or null after printing why not. */
  static DrillRequest request(CommandSpec spec, Path policy, Path scenario) throws Exception {
    String policyText = Policies.read(policy);
    PolicyLoader.Loaded loaded = PolicyLoader.load(policy.toString(), policyText);
    String scenarioText = Policies.read(scenario);
    DrillScenario s;
    try {
      s = Drill.load(scenarioText, loaded.policy());
    } catch (IllegalArgumentException | com.fasterxml.jackson.core.JsonProcessingException e) {
      spec.commandLine().getErr().println("ripcord: " + scenario + ": " + e.getMessage());
      return null;
    }
    String name = s.name() != null ? s.name() : scenario.getFileName().toString().replaceAll("\\.ya?ml$", "");
    return new DrillRequest(name, policyText, scenarioText);
  }

  @Command(name = "schedule", mixinStandardHelpOptions = true,
      description = {"Run a drill on a cadence: a Temporal Schedule starts the Drill workflow on the release task",
          "queue, where the worker rehearses the scenario with its own workflow code (time skipping, no real traffic).",
          "A failed drill fails its workflow run (red in the schedule's recent actions) and notifies the policy's",
          "channel (event drill-failed). Creating an existing schedule id replaces it."},
      footer = {"", "Example:", "  ripcord drill schedule --policy examples/conversational-agent.yaml "
          + "--scenario examples/drills/hallucinations-when-exposed.yaml --every 24h --trigger-now"})
  static final class ScheduleDrill implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

    @Option(names = "--policy", required = true, description = "policy file (YAML or JSON)")
    Path policy;

    @Option(names = "--scenario", required = true, description = "drill scenario (YAML)")
    Path scenario;

    @Option(names = "--every", required = true, description = "cadence, e.g. 24h, 7d (at least 1s)")
    String every;

    @Option(names = "--schedule-id", description = "default: drill-<scenario name>")
    String scheduleId;

    @Option(names = "--trigger-now", description = "also run it once right away")
    boolean triggerNow;

    @Override
    public Integer call() throws Exception {
      java.time.Duration interval = Durations.parseOrNull(every);
      if (interval == null || interval.toMillis() < 1000) {
        spec.commandLine().getErr().println("ripcord: --every '" + every + "' is not a duration of at least 1s"
            + " (hint: e.g. 24h)");
        return RipcordCli.USAGE;
      }
      DrillRequest request = request(spec, policy, scenario);
      if (request == null) {
        return RipcordCli.USAGE;
      }
      String id = scheduleId != null ? scheduleId : "drill-" + request.name();
      try (var client = connection.connect()) {
        boolean created = client.scheduleDrill(id, request, interval, triggerNow);
        spec.commandLine().getOut().println((created ? "created" : "updated") + " schedule " + id + ": drill '"
            + request.name() + "' every " + every + " on task queue " + ReleaseWorkflow.TASK_QUEUE
            + (triggerNow ? ", first run now" : ""));
      }
      return RipcordCli.OK;
    }
  }

  @Command(name = "unschedule", mixinStandardHelpOptions = true, description = "Delete a drill schedule.",
      footer = {"", "Example:", "  ripcord drill unschedule drill-hallucinations-when-exposed"})
  static final class UnscheduleDrill implements Callable<Integer> {
    @Spec CommandSpec spec;
    @picocli.CommandLine.Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

    @picocli.CommandLine.Parameters(paramLabel = "SCHEDULE_ID")
    String scheduleId;

    @Override
    public Integer call() throws Exception {
      try (var client = connection.connect()) {
        client.unscheduleDrill(scheduleId);
        spec.commandLine().getOut().println("deleted schedule " + scheduleId);
      }
      return RipcordCli.OK;
    }
  }
}
