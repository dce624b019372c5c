package dev.ripcord.workflows.policy;

import static dev.ripcord.workflows.policy.PolicyValidator.CATEGORIES;
import static dev.ripcord.workflows.policy.PolicyValidator.DIRECTIONS;
import static dev.ripcord.workflows.policy.PolicyValidator.RATE_UNITS;
import static dev.ripcord.workflows.policy.PolicyValidator.SIGNAL_KINDS;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Checks signals section. Reports into the one {@link Problems} collector; pure. */
final class SignalChecks {
  private final Problems out;

  SignalChecks(Problems out) {
    this.out = out;
  }

  Set<String> checkSignals(List<SignalSpec> signals) {
    Set<String> names = new LinkedHashSet<>();
    java.util.Map<String, JudgeSpec> judges = new java.util.TreeMap<>();
    if (signals == null || signals.isEmpty()) {
      out.problem("$.signals", "needs at least one signal", "add e.g. - {name: error_rate, kind: rate, category: operational}");
      return names;
    }
    for (int i = 0; i < signals.size(); i++) {
      SignalSpec s = signals.get(i);
      String path = "$.signals[" + i + "]";
      if (s == null) {
        out.problem(path, "is empty", "write {name, kind, category}");
        continue;
      }
      if (out.required(path + ".name", s.name(), "e.g. hallucination") && !names.add(s.name())) {
        out.problem(path + ".name", "'" + s.name() + "' is declared twice", "signal names must be unique");
      }
      if (out.required(path + ".kind", s.kind(), "one of " + SIGNAL_KINDS)) {
        out.oneOf(path + ".kind", s.kind(), SIGNAL_KINDS);
      }
      if (out.required(path + ".category", s.category(), "one of " + CATEGORIES)) {
        out.oneOf(path + ".category", s.category(), CATEGORIES);
      }
      out.oneOf(path + ".direction", s.direction(), DIRECTIONS);
      if (s.judge() != null) {
        checkJudge(path + ".judge", s.judge(), judges);
      }
      if (s.isPaired() && Boolean.FALSE.equals(s.baseline())) {
        out.problem(path + ".baseline", "a paired signal always observes the baseline (it answers the same prompts)",
            "remove baseline: false");
      }
      if (s.isPaired() && !s.higherIsWorse()) {
        out.problem(path + ".direction", "a paired signal counts pairs where the candidate was worse",
            "remove direction (it is higher-is-worse)");
      }
      if (s.unit() != null) {
        out.oneOf(path + ".unit", s.unit(), SignalSpec.UNITS);
        SignalKind k = s.kindType();
        // Every kind may come in units. The share beyond a quantile's point and the split of discordant pairs are
        // tested over the candidate's units (a point taken from the baseline's histogram is read as it is), so they
        // need no baseline's; rates and means are compared with the baseline's units.
        boolean share = k == SignalKind.QUANTILE || k == SignalKind.PAIRED;
        if (k != null && !share && !Boolean.TRUE.equals(s.baseline())) {
          out.problem(path + ".unit", "per-unit statistics compare the candidate's units with the baseline's",
              "add baseline: true (windows then carry both arms' unit statistics)");
        }
      }
      if (s.per() != null) {
        if (!s.isRate()) {
          out.problem(path + ".per", "only rates have a unit", "remove per, or make the signal kind: rate");
        } else if (!RATE_UNITS.contains(s.per())) {
          out.problem(path + ".per", s.per() + " is not a supported unit", "use one of " + RATE_UNITS);
        }
      }
    }
    return names;
  }

  /** A signal's judge: named and versioned, sane limits, and declared alike wherever another signal names it. */
  private void checkJudge(String path, JudgeSpec j, java.util.Map<String, JudgeSpec> seen) {
    if (out.required(path + ".name", j.name(), "the judge, e.g. grounding-judge")
        && !PolicyValidator.NAME.matcher(j.name()).matches()) {
      out.problem(path + ".name", "'" + j.name() + "' is not a valid name", "use lower-case letters, digits, '.',"
          + " '_' and '-'");
    }
    if (out.required(path + ".version", j.version(), "the judge's version the evidence is valid for, e.g."
        + " judge-gpt@2026-10 (its model and prompt)") && j.version().length() > 100) {
      out.problem(path + ".version", "is longer than 100 characters", "shorten it");
    }
    if (j.maxErrorRate() != null && !(j.maxErrorRate() > 0 && j.maxErrorRate() < 1)) {
      out.problem(path + ".maxErrorRate", j.maxErrorRate() + " is not a share in (0, 1)", "e.g. 0.05: at most 5 % of"
          + " the judge's calls may error or time out in a window");
    }
    if (j.minAgreement() != null && !(j.minAgreement() > 0 && j.minAgreement() <= 1)) {
      out.problem(path + ".minAgreement", j.minAgreement() + " is not a share in (0, 1]", "e.g. 0.8: the judge"
          + " agrees with at least 80 % of the calibration sample's human labels");
    }
    if (j.minLabels() != null && j.minLabels() < 1) {
      out.problem(path + ".minLabels", "must be at least 1", "the labels needed before agreement is judged, e.g. 50");
    }
    if (j.minLabels() != null && j.minAgreement() == null) {
      out.problem(path + ".minLabels", "goes with minAgreement", "add minAgreement, or remove minLabels");
    }
    if (j.name() != null) {
      JudgeSpec first = seen.putIfAbsent(j.name(), j);
      if (first != null && !first.equals(j)) {
        out.problem(path, "judge '" + j.name() + "' is declared differently by another signal",
            "declare it alike (name, version, maxErrorRate, minAgreement, minLabels) on every signal it scores");
      }
    }
  }
}
