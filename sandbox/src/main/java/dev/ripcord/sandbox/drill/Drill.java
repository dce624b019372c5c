package dev.ripcord.sandbox.drill;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ripcord.sandbox.drill.DrillScenario.Answer;
import dev.ripcord.sandbox.embedded.EmbeddedRelease;
import dev.ripcord.sandbox.observe.SimulatedModel;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.intake.SignalPayloads;
import dev.ripcord.workflows.playbook.PlaybookStep;
import dev.ripcord.workflows.policy.Durations;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.policy.StageSpec;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseStatus;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Runs a drill: the real release workflow and activities on an embedded, time-skipping Temporal, a simulated model
 * behind the reference gateway, and scripted people; then checks the scenario's expectations.
 */
public final class Drill {
  private static final Duration STEP = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private Drill() {}

  /** The drill's verdict: the timeline (relative times) and each expectation with pass or fail. */
  public record Result(ReleaseReport report, List<String> timeline, List<String> checks, boolean passed) {}

  public static DrillScenario parse(String yaml) throws java.io.IOException {
    ObjectMapper mapper = new YAMLMapper().enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    return mapper.readValue(yaml, DrillScenario.class);
  }

  /** Every problem with a scenario against its policy, like policy validation: path, what, fix. */
  public static List<String> validate(DrillScenario s, ReleasePolicy p) {
    List<String> problems = new ArrayList<>();
    if (s.signals() == null || s.signals().isEmpty()) {
      problems.add("$.signals: no signal is simulated (hint: script at least one of " + names(p) + ")");
    } else {
      s.signals().forEach((name, script) -> {
        if (p.signal(name) == null) {
          problems.add("$.signals." + name + ": unknown signal (hint: the policy declares " + names(p) + ")");
        } else if (script.baseline() == null || script.candidate() == null) {
          problems.add("$.signals." + name + ": baseline and candidate are required (hint: rates per output, e.g."
              + " 0.0003)");
        }
        if (script != null && script.from() != null && p.stages().stream().noneMatch(st -> st.name().equals(script.from()))) {
          problems.add("$.signals." + name + ".from: unknown stage '" + script.from() + "' (hint: one of "
              + p.stages().stream().map(StageSpec::name).toList() + ")");
        }
      });
    }
    List<Answer> people = s.people() == null ? List.of() : s.people();
    for (int i = 0; i < people.size(); i++) {
      Answer a = people.get(i);
      if (!List.of("approve", "reject").contains(a.decision())) {
        problems.add("$.people[" + i + "].decision: '" + a.decision() + "' (hint: approve or reject)");
      }
      if (!List.of("rollback", "promote", "resume").contains(a.right())) {
        problems.add("$.people[" + i + "].right: '" + a.right() + "' (hint: rollback, promote or resume)");
      }
      if (a.after() != null && Durations.parseOrNull(a.after()) == null) {
        problems.add("$.people[" + i + "].after: '" + a.after() + "' is not a duration (hint: e.g. 5m)");
      }
    }
    if (s.expect() == null || s.expect().state() == null) {
      problems.add("$.expect.state: required (hint: ROLLED_BACK or COMPLETED)");
    } else if (!List.of("ROLLED_BACK", "COMPLETED").contains(s.expect().state())) {
      problems.add("$.expect.state: '" + s.expect().state() + "' (hint: ROLLED_BACK or COMPLETED)");
    }
    if (s.expect() != null && s.expect().within() != null && Durations.parseOrNull(s.expect().within()) == null) {
      problems.add("$.expect.within: '" + s.expect().within() + "' is not a duration (hint: e.g. 15m)");
    }
    return problems;
  }

  private static List<String> names(ReleasePolicy p) {
    return p.signals().stream().map(SignalSpec::name).toList();
  }

  /**
   * How long a drill may run: {@code workflowTime} of the release's (skipped) time, {@code wallTime} of the
   * machine's; {@code progress} hears each state change and every six simulated hours.
   */
  public record Limits(Duration workflowTime, Duration wallTime, java.util.function.Consumer<String> progress) {
    public static final Limits DEFAULT = new Limits(Duration.ofDays(30), Duration.ofMinutes(5), line -> { });
  }

  public static Result run(PolicyLoader.Loaded loaded, DrillScenario s) throws Exception {
    return run(loaded, s, Limits.DEFAULT);
  }

  public static Result run(PolicyLoader.Loaded loaded, DrillScenario s, Limits limits) throws Exception {
    ReleasePolicy policy = loaded.policy();
    try (EmbeddedRelease world = EmbeddedRelease.start(policy, "drill", model(s, policy), "drill")) {
      TestWorkflowEnvironment env = world.env;
      long started = env.currentTimeMillis();
      long wallDeadline = System.nanoTime() + limits.wallTime().toNanos();
      ReleaseWorkflow release = world.release(world.startRelease());
      Set<String> answered = new HashSet<>();
      long limit = started + limits.workflowTime().toMillis();
      String lastState = null;
      long nextProgress = started;
      ReleaseStatus st = release.status();
      while (env.currentTimeMillis() < limit && System.nanoTime() < wallDeadline) {
        env.sleep(STEP);
        st = release.status();
        long now = env.currentTimeMillis();
        if (!st.state().name().equals(lastState) || now >= nextProgress) {
          limits.progress().accept("+" + Durations.format(Duration.ofMillis((now - started) / 60_000 * 60_000))
              + "  " + st.line());
          lastState = st.state().name();
          nextProgress = now + Duration.ofHours(6).toMillis();
        }
        if (st.state().isFinal() || unanswerable(s, st) != null) {
          break;
        }
        answer(s, st, now, answered, release);
      }
      if (!st.state().isFinal()) {
        String stuck = unanswerable(s, st);
        return stopped(s, world.policy.policy(), release, st, started, env.currentTimeMillis() - started,
            stuck != null ? stuck : System.nanoTime() >= wallDeadline ? "the release had not ended after "
            + limits.wallTime() + " of wall time" : null);
      }
      closePlaybook(env, release, policy, limit);
      ReleaseReport report = WorkflowStub.fromTyped(release).getResult(ReleaseReport.class);
      return verdict(s, world.policy.policy(), report, started);
    }
  }

  /** The verdict of a drill whose release had not ended by its limit: a failure that says where it stood, and why. */
  private static Result stopped(DrillScenario s, ReleasePolicy p, ReleaseWorkflow release, ReleaseStatus st,
      long started, long ran, String stop) {
    ReleaseReport soFar = new ReleaseReport(st.releaseId(), st.state(), st.policyHash(), st.triggeredAt(),
        st.mitigatedAt(), null, st.windows(), List.of(), release.audit(), st.playbook());
    Result r = verdict(s, p, soFar, started);
    String why = (stop != null ? stop : "the release had not ended after "
        + Durations.format(Duration.ofMillis(ran / 60_000 * 60_000)) + " of workflow time") + ": " + st.line();
    if (st.waitingFor() != null && !answered(s, st.waitingFor().right())) {
      var w = st.waitingFor();
      why += (stop != null && stop.startsWith("stopped when") ? "" : "; nobody in the scenario answers '" + w.right()
          + "' (onTimeout: " + w.onTimeout() + ")") + " — add people: [{right: " + w.right() + ", decision: approve,"
          + " by: <one of " + w.roles() + ">, after: 10m}], or give the right a deadline with onTimeout: rollback";
    }
    List<String> checks = new ArrayList<>(r.checks());
    checks.add(0, "FAIL  " + why + " (raise the limit with --limit)");
    return new Result(soFar, r.timeline(), checks, false);
  }

  private static boolean answered(DrillScenario s, String right) {
    return s.people() != null && s.people().stream().anyMatch(a -> a.right().equals(right));
  }

  /**
   * Why the release can never move on by itself, or null: it waits for a decision nobody in the scenario answers,
   * and no deadline will end the wait (none, or onTimeout: hold). Said at once instead of at the drill's limit.
   */
  static String unanswerable(DrillScenario s, ReleaseStatus st) {
    var w = st.waitingFor();
    if (w == null || answered(s, w.right()) || (w.deadline() != null && !"hold".equals(w.onTimeout()))) {
      return null;
    }
    return "stopped when the release asked: nobody in the scenario answers '" + w.right() + "' and "
        + (w.deadline() == null ? "it has no deadline" : "its deadline holds (onTimeout: hold)");
  }

  /**
   * A release stays open while its playbook's human steps are: let the exercise run until each open step is past its
   * deadline (so reminders and escalations show in the timeline), then close it in the name of an owner, with a
   * comment saying the drill runner did it. Steps waiting on others open as those close.
   */
  private static void closePlaybook(TestWorkflowEnvironment env, ReleaseWorkflow release, ReleasePolicy policy,
      long limit) {
    while (env.currentTimeMillis() < limit) {
      List<PlaybookStep> steps = release.status().playbook();
      if (steps == null || steps.stream().allMatch(PlaybookStep::isFinished)) {
        return;
      }
      List<PlaybookStep> overdue = steps.stream().filter(p -> p.status().equals("overdue")).toList();
      for (PlaybookStep p : overdue) {
        String owner = policy.governance().roles().get(p.owners().get(0)).get(0);
        release.acknowledge(SignalPayloads.json(Map.of("by", owner, "step", p.name(),
            "comment", "closed by the drill runner at the end of the exercise")));
      }
      long now = env.currentTimeMillis();
      // Jump to just past the next deadline instead of stepping through hours of a 72 h one.
      long next = steps.stream().filter(p -> p.status().equals("open") && p.due() != null)
          .mapToLong(p -> Instant.parse(p.due()).toEpochMilli() + 1000).min().orElse(now + STEP.toMillis());
      env.sleep(Duration.ofMillis(Math.max(overdue.isEmpty() ? 1000 : 0, next - now)));
    }
  }

  /** Sends the scripted answer to the open decision once its delay has passed (each answer once per request). */
  private static void answer(DrillScenario s, ReleaseStatus st, long now, Set<String> answered,
      ReleaseWorkflow release) {
    if (st.waitingFor() == null || s.people() == null) {
      return;
    }
    long asked = Instant.parse(st.waitingFor().requestedAt()).toEpochMilli();
    for (Answer a : s.people()) {
      String key = st.waitingFor().right() + "@" + st.waitingFor().requestedAt() + "#" + a.by();
      if (!a.right().equals(st.waitingFor().right()) || answered.contains(key)) {
        continue;
      }
      long after = a.after() == null ? 0 : Durations.parse(a.after()).toMillis();
      if (now >= asked + after) {
        answered.add(key);
        var payload = new ObjectMapper().createObjectNode().put("by", a.by());
        if (a.role() != null) {
          payload.put("role", a.role());
        }
        if (a.comment() != null) {
          payload.put("comment", a.comment());
        }
        if (a.decision().equals("approve")) {
          release.approve(SignalPayloads.json(payload));
        } else {
          release.reject(SignalPayloads.json(payload));
        }
      }
    }
  }

  private static SimulatedModel model(DrillScenario s, ReleasePolicy p) {
    long perMinute = s.traffic() == null || s.traffic().outputsPerMinute() == null ? 100_000
        : s.traffic().outputsPerMinute();
    double shadow = s.traffic() == null || s.traffic().shadowFraction() == null ? 0.1 : s.traffic().shadowFraction();
    long perWindow = Math.max(1, perMinute * Durations.parse(p.evaluation().interval()).toMillis() / 60_000);
    List<SimulatedModel.SignalModel> models = new ArrayList<>();
    s.signals().forEach((name, sc) -> {
      SignalSpec spec = p.signal(name);
      List<String> degradedStages = new ArrayList<>();
      if (sc.from() != null) {
        boolean on = false;
        for (StageSpec st : p.stages()) {
          on |= st.name().equals(sc.from());
          if (on) {
            degradedStages.add(st.name());
          }
        }
      }
      models.add(new SimulatedModel.SignalModel(name, shape(spec), Boolean.TRUE.equals(spec.baseline()),
          sc.baseline(), sc.candidate(), sc.degraded() == null ? sc.candidate() : sc.degraded(), degradedStages,
          sc.noise() == null ? 0 : sc.noise()));
    });
    return new SimulatedModel(perWindow, shadow, 20261124L, models);
  }

  /** Rates as counts, means and ratios with their sample, quantiles as histograms (the scenario gives p99s). */
  private static SimulatedModel.Shape shape(SignalSpec spec) {
    return switch (spec.kindType()) {
      case RATE -> SimulatedModel.Shape.COUNTS;
      case MEAN, RATIO -> SimulatedModel.Shape.SAMPLE;
      case QUANTILE -> SimulatedModel.Shape.HISTOGRAM;
      default -> SimulatedModel.Shape.VALUE;
    };
  }

  private static Result verdict(DrillScenario s, ReleasePolicy p, ReleaseReport report, long started) {
    List<String> timeline = new ArrayList<>();
    long degradedAt = -1;
    String firstDegraded = s.signals().values().stream().map(DrillScenario.SignalScript::from)
        .filter(java.util.Objects::nonNull).findFirst().orElse(null);
    for (AuditEntry e : report.audit()) {
      long at = Instant.parse(e.at()).toEpochMilli();
      if (degradedAt < 0 && firstDegraded != null && e.kind().equals("STATE")
          && e.message().contains("'" + firstDegraded + "'")) {
        degradedAt = at;
      }
      timeline.add("+" + Durations.format(Duration.ofMillis(Math.max(0, at - started) / 1000 * 1000)) + "  "
          + e.kind() + "  " + (e.actor() == null ? "" : e.actor() + ": ") + e.message());
    }
    List<String> checks = new ArrayList<>();
    boolean passed = true;
    DrillScenario.Expectation x = s.expect();
    boolean stateOk = report.state().name().equals(x.state());
    passed &= stateOk;
    checks.add((stateOk ? "PASS" : "FAIL") + "  final state " + report.state() + " (expected " + x.state() + ")");
    if (x.within() != null) {
      long from = degradedAt >= 0 ? degradedAt : started;
      Long endAt = report.mitigatedAt() == null ? null : Instant.parse(report.mitigatedAt()).toEpochMilli();
      boolean ok = endAt != null && endAt - from <= Durations.parse(x.within()).toMillis();
      passed &= ok;
      checks.add((ok ? "PASS" : "FAIL") + "  " + (endAt == null ? "never rolled back"
          : "rolled back " + Durations.format(Duration.ofMillis((endAt - from) / 1000 * 1000)) + " after "
          + (degradedAt >= 0 ? "stage '" + firstDegraded + "' began" : "the start")) + " (expected within "
          + x.within() + ")");
    }
    if (x.fired() != null) {
      for (String c : x.fired()) {
        // Fired at some point: as the trigger, or in a later window (a frozen release keeps evaluating, and which of
        // two criteria crosses first depends on how many healthy windows came before).
        boolean ok = report.audit().stream().anyMatch(e -> e.kind().equals("TRIGGER") && e.message().contains(c)
            || e.kind().equals("DECISION") && e.message().contains(c + " fired"));
        passed &= ok;
        checks.add((ok ? "PASS" : "FAIL") + "  criterion " + c + (ok ? " fired" : " never fired"));
      }
    }
    if (Boolean.TRUE.equals(x.breakGlass())) {
      boolean ok = report.breakGlass() != null;
      passed &= ok;
      checks.add((ok ? "PASS" : "FAIL") + "  " + (ok ? "break-glass rollback: " + report.breakGlass()
          : "the rollback was staged, not break-glass") + " (expected break-glass)");
    }
    if (Boolean.TRUE.equals(x.frozen())) {
      String frozen = report.audit().stream()
          .filter(e -> e.kind().equals("STATE") && e.message().contains("→ FROZEN"))
          .map(e -> e.message()).findFirst().orElse(null);
      passed &= frozen != null;
      checks.add((frozen != null ? "PASS  froze instead of rolling back: " + frozen
          : "FAIL  never froze") + " (expected frozen)");
    }
    return new Result(report, timeline, checks, passed);
  }

  /** For the CLI: a drill's YAML file checked against its policy. */
  public static DrillScenario load(String yaml, ReleasePolicy policy) throws java.io.IOException {
    DrillScenario s = parse(yaml);
    List<String> problems = validate(s, policy);
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException("invalid drill scenario:\n  " + String.join("\n  ", problems));
    }
    return s;
  }

}
