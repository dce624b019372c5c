package dev.ripcord.workflows.policy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * The ranges a policy's numbers, durations, names and sizes must lie in: what makes a policy well formed but
 * nonsensical (a limit of NaN, a bake of 0 s, a minimum sample of 2^63-1, a route that walks out of its path).
 * {@link PolicyValidator} runs these after its structural checks; releases started before the {@code strict-policy}
 * marker were validated without them. Pure and deterministic.
 */
final class PolicyBounds {
  /** The longest duration any field may have; durations past it are typing slips (or attempts to overflow). */
  static final Duration MAX_DURATION = Duration.ofDays(3650);
  static final long MAX_MIN_SAMPLES = 1_000_000_000L;
  static final int MAX_WINDOWS_PER_RUN = 5000;
  static final int MAX_NAME = 100;
  static final int MAX_PRINCIPAL = 200;
  /** A route becomes one path segment of the router's URL: a name, never a path. */
  static final Pattern ROUTE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._~-]{0,127}");

  private final Consumer<PolicyProblem> problems;

  private PolicyBounds(Consumer<PolicyProblem> problems) {
    this.problems = problems;
  }

  static void check(ReleasePolicy p, Consumer<PolicyProblem> problems) {
    new PolicyBounds(problems).check(p);
  }

  private void problem(String path, String message, String hint) {
    problems.accept(new PolicyProblem(path, message, hint));
  }

  private void check(ReleasePolicy p) {
    // A Kubernetes router's route is namespace/name, not a URL segment (ReleaseChecks checks it).
    if (p.router() != null && p.router().route() != null && !ROUTE.matcher(p.router().route()).matches()
        && !p.router().namesKubernetesObject()) {
      problem("$.router.route", "'" + cut(p.router().route()) + "' is not a route name",
          "letters, digits, '.', '_', '~' and '-', at most 128 characters: it becomes one segment of the router's URL");
    }
    Duration interval = null;
    if (p.evaluation() != null) {
      EvaluationSpec e = p.evaluation();
      interval = within("$.evaluation.interval", e.interval());
      within("$.evaluation.horizon", e.horizon());
      if (e.windowsPerRun() != null && e.windowsPerRun() > MAX_WINDOWS_PER_RUN) {
        problem("$.evaluation.windowsPerRun", e.windowsPerRun() + " is more than " + MAX_WINDOWS_PER_RUN,
            "a run's history must stay well under Temporal's event limit; leave it out for the default (500)");
      }
      if (e.maxInconclusive() != null && e.maxInconclusive() > 10_000) {
        problem("$.evaluation.maxInconclusive", e.maxInconclusive() + " windows is more than 10000",
            "e.g. 5 windows: evidence that never arrives should not go unnoticed for weeks");
      }
    }
    stages(p.stages(), interval);
    signals(p.signals());
    if (p.criteria() != null) {
      for (int i = 0; i < p.criteria().size(); i++) {
        CriterionSpec c = p.criteria().get(i);
        if (c == null) {
          continue;
        }
        name("$.criteria[" + i + "].name", c.name());
        if (c.when() != null) {
          condition("$.criteria[" + i + "].when", c.when(), p);
        }
        if (c.sustain() != null) {
          within("$.criteria[" + i + "].sustain.for", c.sustain().duration());
        }
      }
    }
    governance(p.governance());
    if (p.observations() != null && p.observations().alerts() != null) {
      for (int i = 0; i < p.observations().alerts().size(); i++) {
        var a = p.observations().alerts().get(i);
        if (a != null && a.alertname() != null && a.alertname().length() > MAX_PRINCIPAL) {
          problem("$.observations.alerts[" + i + "].alertname", "is longer than " + MAX_PRINCIPAL + " characters",
              "use the alert's alertname label as Prometheus writes it");
        }
      }
    }
    if (p.rollback() != null && p.rollback().steps() != null) {
      for (int i = 0; i < p.rollback().steps().size(); i++) {
        var s = p.rollback().steps().get(i);
        if (s != null) {
          within("$.rollback.steps[" + i + "].hold", s.hold());
        }
      }
    }
    if (p.playbook() != null && p.playbook().steps() != null) {
      for (int i = 0; i < p.playbook().steps().size(); i++) {
        var s = p.playbook().steps().get(i);
        if (s != null) {
          within("$.playbook.steps[" + i + "].deadline", s.deadline());
          within("$.playbook.steps[" + i + "].remind", s.remind());
          within("$.playbook.steps[" + i + "].within", s.within());
        }
      }
    }
  }

  private void stages(List<StageSpec> stages, Duration interval) {
    if (stages == null) {
      return;
    }
    for (int i = 0; i < stages.size(); i++) {
      StageSpec s = stages.get(i);
      if (s == null) {
        continue;
      }
      String path = "$.stages[" + i + "]";
      name(path + ".name", s.name());
      Duration bake = within(path + ".bake", s.bake());
      if (bake != null && bake.compareTo(Duration.ofSeconds(1)) < 0) {
        problem(path + ".bake", "'" + s.bake() + "' is shorter than 1s", "a stage must bake; e.g. 30m");
      } else if (bake != null && interval != null && bake.compareTo(interval) < 0) {
        problem(path + ".bake", "'" + s.bake() + "' is shorter than the evaluation interval ("
            + Durations.format(interval) + "), so the stage would be promoted before any window is evaluated",
            "bake at least one interval, e.g. " + Durations.format(interval.multipliedBy(10)));
      }
      minSamples(path + ".minSamples", s.minSamples());
    }
  }

  private void signals(List<SignalSpec> signals) {
    if (signals == null) {
      return;
    }
    for (int i = 0; i < signals.size(); i++) {
      if (signals.get(i) != null) {
        name("$.signals[" + i + "].name", signals.get(i).name());
      }
    }
  }

  private void condition(String path, ConditionSpec c, ReleasePolicy p) {
    for (var list : java.util.Arrays.asList(Map.entry("allOf", nullToEmpty(c.allOf())),
        Map.entry("anyOf", nullToEmpty(c.anyOf())), Map.entry("of", nullToEmpty(c.of())))) {
      for (int i = 0; i < list.getValue().size(); i++) {
        if (list.getValue().get(i) != null) {
          condition(path + "." + list.getKey() + "[" + i + "]", list.getValue().get(i), p);
        }
      }
    }
    SignalSpec s = c.signal() == null ? null : p.signal(c.signal());
    boolean nonNegative = s != null && (s.isRate() || "quantile".equals(s.kind()));
    for (var limit : List.of(Map.entry("above", opt(c.above())), Map.entry("below", opt(c.below())))) {
      Double v = limit.getValue().value;
      if (v == null) {
        continue;
      }
      if (!Double.isFinite(v)) {
        problem(path + "." + limit.getKey(), v + " is not a finite number", "write the limit as a number, e.g. 8");
      } else if (nonNegative && v < 0) {
        problem(path + "." + limit.getKey(), v + " is negative, but '" + s.name() + "' is a " + s.kind()
            + " and never below 0", "write a limit of 0 or more");
      } else if (s != null && s.isRate() && v > s.perOrOne()) {
        problem(path + "." + limit.getKey(), v + " is more than the signal's unit (" + s.perOrOne()
            + "), so it can never be reached", "write the limit per " + s.perOrOne() + " outputs");
      }
    }
    if (c.baselineRatioAbove() != null && !(c.baselineRatioAbove() >= 1 && c.baselineRatioAbove() <= 100)) {
      problem(path + ".baselineRatioAbove", c.baselineRatioAbove() + " is not a ratio between 1 and 100",
          "e.g. 1.5: fire when the candidate is 50 % worse than the baseline (below 1 it fires on a better candidate)");
    }
    if (c.baselineRatioBelow() != null && !(c.baselineRatioBelow() > 0 && c.baselineRatioBelow() <= 1)) {
      problem(path + ".baselineRatioBelow", c.baselineRatioBelow() + " is not a ratio above 0 and at most 1",
          "e.g. 0.95: fire when the candidate falls 5 % below the baseline");
    }
    if (c.sliceRatioAbove() != null && !(c.sliceRatioAbove() <= 100)) {
      problem(path + ".sliceRatioAbove", c.sliceRatioAbove() + " is not a ratio of at most 100", "e.g. 1.5");
    }
    minSamples(path + ".minSamples", c.minSamples());
  }

  private void governance(GovernanceSpec g) {
    if (g == null) {
      return;
    }
    if (g.roles() != null) {
      g.roles().forEach((role, principals) -> {
        name("$.governance.roles." + cut(role), role);
        if (principals != null) {
          for (int j = 0; j < principals.size(); j++) {
            String who = principals.get(j);
            if (who == null || who.isBlank()) {
              problem("$.governance.roles." + cut(role) + "[" + j + "]", "is empty",
                  "write who holds the role, e.g. alice@example.com");
            } else if (who.length() > MAX_PRINCIPAL) {
              problem("$.governance.roles." + cut(role) + "[" + j + "]", "is longer than " + MAX_PRINCIPAL
                  + " characters", "write the principal as people sign decisions, e.g. alice@example.com");
            }
          }
        }
      });
    }
    if (g.decisions() == null) {
      return;
    }
    g.decisions().forEach((kind, right) -> {
      if (right == null) {
        return;
      }
      String path = "$.governance.decisions." + cut(kind);
      within(path + ".deadline", right.deadline());
      if (right.escalation() != null) {
        for (int i = 0; i < right.escalation().size(); i++) {
          if (right.escalation().get(i) != null) {
            within(path + ".escalation[" + i + "].after", right.escalation().get(i).after());
          }
        }
      }
      if ("rollback".equals(kind) && ((right.quorum() != null && right.quorum() > 1) || right.requireRoles() != null)) {
        problem(path + (right.requireRoles() != null ? ".requireRoles" : ".quorum"), "cannot bind: anyone holding"
            + " the 'rollback' right may roll back at once with the rollback signal, so approving a rollback never"
            + " needs more than one of them", "remove it; a rollback is the safe direction and takes one person");
      }
    });
  }

  private Duration within(String path, String text) {
    Duration d = Durations.parseOrNull(text);
    if (d != null && d.compareTo(MAX_DURATION) > 0) {
      problem(path, "'" + cut(text) + "' is longer than " + Durations.format(MAX_DURATION),
          "write a duration of at most ten years, e.g. 30m, 2h or 7d");
      return null;
    }
    return d;
  }

  private void minSamples(String path, Long n) {
    if (n != null && n > MAX_MIN_SAMPLES) {
      problem(path, n + " is more than " + MAX_MIN_SAMPLES, "a release never sees that many outputs in one stage;"
          + " e.g. 2000");
    }
  }

  private void name(String path, String name) {
    if (name != null && name.length() > MAX_NAME) {
      problem(path, "is longer than " + MAX_NAME + " characters", "use a short name, e.g. hallucination-limit");
    }
  }

  /** A name or value a policy wrote, short enough to quote in a problem. */
  static String cut(String s) {
    return s == null || s.length() <= 60 ? s : s.substring(0, 57) + "...";
  }

  private static <T> List<T> nullToEmpty(List<T> l) {
    return l == null ? List.of() : l;
  }

  private record Opt(Double value) {}

  private static Opt opt(Double v) {
    return new Opt(v);
  }
}
