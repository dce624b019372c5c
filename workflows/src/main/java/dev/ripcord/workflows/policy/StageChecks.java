package dev.ripcord.workflows.policy;

import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Checks stages and the rollback steps. Reports into the one {@link Problems} collector; pure. */
final class StageChecks {
  private final Problems out;

  StageChecks(Problems out) {
    this.out = out;
  }

  void checkStages(List<StageSpec> stages) {
    if (stages == null || stages.isEmpty()) {
      out.problem("$.stages", "needs at least one stage", "add e.g. - {name: canary, weight: 5, bake: 30m}");
      return;
    }
    Set<String> names = new HashSet<>();
    Integer previous = null;
    for (int i = 0; i < stages.size(); i++) {
      StageSpec s = stages.get(i);
      String path = "$.stages[" + i + "]";
      if (s == null) {
        out.problem(path, "is empty", "write {name, weight, bake}");
        continue;
      }
      if (out.required(path + ".name", s.name(), "name the stage, e.g. canary") && !names.add(s.name())) {
        out.problem(path + ".name", "'" + s.name() + "' is used by an earlier stage", "stage names must be unique");
      }
      if (out.required(path + ".weight", s.weight(), "percent of traffic on the candidate, 0..100")) {
        if (s.weight() < 0 || s.weight() > 100) {
          out.problem(path + ".weight", s.weight() + " is outside 0..100", "a percentage of traffic");
        } else if (previous != null && s.weight() <= previous) {
          out.problem(path + ".weight", "weights not increasing: " + s.weight() + " after " + previous,
              "each stage must expose more traffic than the one before");
        }
        previous = s.weight();
      }
      out.duration(path + ".bake", s.bake(), true, Duration.ZERO);
      if (s.minSamples() != null && s.minSamples() < 0) {
        out.problem(path + ".minSamples", "must not be negative", "candidate trials needed before promotion");
      }
    }
    StageSpec last = stages.get(stages.size() - 1);
    if (last != null && last.weight() != null && last.weight() == 0) {
      out.problem("$.stages[" + (stages.size() - 1) + "].weight", "the last stage exposes no traffic",
          "end with an exposed stage, usually weight: 100");
    }
  }

  void checkRollback(RollbackSpec r) {
    if (r == null || r.steps() == null || r.steps().isEmpty()) {
      out.problem("$.rollback.steps", "needs at least one step", "e.g. - {weight: 0}");
      return;
    }
    Integer previous = null;
    for (int i = 0; i < r.steps().size(); i++) {
      RollbackSpec.Step s = r.steps().get(i);
      String path = "$.rollback.steps[" + i + "]";
      if (s == null || s.weight() == null) {
        out.problem(path + ".weight", "is required", "the candidate's weight after this step");
        continue;
      }
      if (s.weight() < 0 || s.weight() > 100) {
        out.problem(path + ".weight", s.weight() + " is outside 0..100", "a percentage of traffic");
      } else if (previous != null && s.weight() >= previous) {
        out.problem(path + ".weight", "weights not decreasing: " + s.weight() + " after " + previous,
            "each rollback step must expose less traffic than the one before");
      }
      previous = s.weight();
      out.duration(path + ".hold", s.hold(), false, Duration.ZERO);
    }
    if (previous != null && previous != 0) {
      out.problem("$.rollback.steps[" + (r.steps().size() - 1) + "].weight", "the last step leaves " + previous + " % on the candidate",
          "end the rollback with weight: 0");
    }
  }

  /** {@code rollback.unsafeAfter}: a stage of this policy, a reason, and roles that exist to page. */
  void checkUnsafeAfter(ReleasePolicy p, java.util.Set<String> roles) {
    RollbackSpec.UnsafeAfter u = p.rollback() == null ? null : p.rollback().unsafeAfter();
    if (u == null) {
      return;
    }
    String path = "$.rollback.unsafeAfter";
    java.util.List<String> names = p.stages() == null ? java.util.List.of()
        : p.stages().stream().filter(java.util.Objects::nonNull).map(StageSpec::name).toList();
    if (out.required(path + ".stage", u.stage(), "the first stage from which rolling back does harm, e.g. half")
        && !names.contains(u.stage())) {
      String near = Suggestions.nearest(u.stage(), names);
      out.problem(path + ".stage", "'" + u.stage() + "' is not a stage of this policy", near != null
          ? "did you mean '" + near + "'?" : "use one of " + names);
    }
    if (u.reason() == null || u.reason().isBlank()) {
      out.problem(path + ".reason", "is required", "say what a rollback would break, e.g. \"the 50 % stage migrates"
          + " the retrieval index one way\"");
    }
    if (u.page() != null) {
      for (int i = 0; i < u.page().size(); i++) {
        if (!roles.contains(u.page().get(i))) {
          out.problem(path + ".page[" + i + "]", "missing role '" + u.page().get(i) + "'",
              "declare it under governance.roles, or use one of " + roles);
        }
      }
    }
  }
}
