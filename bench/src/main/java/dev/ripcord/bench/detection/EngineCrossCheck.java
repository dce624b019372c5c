package dev.ripcord.bench.detection;

import dev.ripcord.workflows.decision.CriteriaEngine;
import dev.ripcord.workflows.decision.VerdictEngine;
import dev.ripcord.workflows.decision.EngineState;
import dev.ripcord.workflows.decision.Evaluation;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.Verdict;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.CriterionSpec;
import dev.ripcord.workflows.policy.EvaluationSpec;
import dev.ripcord.workflows.policy.GovernanceSpec;
import dev.ripcord.workflows.policy.ObservationSpec;
import dev.ripcord.workflows.policy.PolicyValidator;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RollbackSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.policy.StageSpec;
import dev.ripcord.workflows.policy.SustainSpec;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Checks that the benchmark's {@link RipcordDetector} decides exactly as the release workflow's engine does: the
 * same simulated windows go through {@link CriteriaEngine} with the equivalent policy, window by window.
 */
final class EngineCrossCheck {
  private EngineCrossCheck() {}

  static ReleasePolicy policy(int horizon, int slicesPerMinute) {
    int minutes = horizon / slicesPerMinute;
    ConditionSpec msprt = new ConditionSpec("hallucination", null, null, 1.0, null, null, null, null, null, null,
        "msprt", null, null, null, null, null);
    ConditionSpec cusum = new ConditionSpec("hallucination", null, null, 1.0, null, null, null, null, null, null,
        "cusum", null, 2.0, null, null, null);
    return policy(60 / slicesPerMinute + "s", minutes, 5,
        new SignalSpec("hallucination", "rate", "quality", null, 10000, true, null),
        new ConditionSpec(null, null, null, null, null, null, null, List.of(msprt, cusum), null, null));
  }

  /**
   * A one-stage policy at {@code weight} % for {@code minutes}, evaluated every {@code interval}, with one rollback
   * criterion {@code hallucination-vs-baseline} on {@code signal}, the benchmark's budget and sustain rule.
   */
  static ReleasePolicy policy(String interval, int minutes, int weight, SignalSpec signal, ConditionSpec when) {
    ReleasePolicy p = new ReleasePolicy(ReleasePolicy.API_VERSION,
        new ReleaseSpec("bench", "v2", "v1", "conversational-agent", null),
        new RouterSpec("http", "http://gateway.invalid", "bench"),
        new ObservationSpec("pushed", null),
        // Never fire on inconclusive windows: the most PolicyBounds allows, above any horizon the benchmark runs.
        new EvaluationSpec(interval, 10_000, null, null, DetectionBenchmark.BUDGET, minutes + "m"),
        List.of(new StageSpec("canary", weight, minutes + "m", null, null)),
        List.of(signal),
        List.of(new CriterionSpec("hallucination-vs-baseline", null, "critical", "rollback", when,
            new SustainSpec(DetectionBenchmark.SUSTAIN, null))),
        new GovernanceSpec(Map.of("on-call", List.of("a@example.com")), Map.of()),
        new RollbackSpec(List.of(new RollbackSpec.Step(0, null))), null);
    var problems = PolicyValidator.validate(p);
    if (!problems.isEmpty()) {
      throw new IllegalStateException("benchmark policy invalid: " + problems);
    }
    return p;
  }

  /** Returns how many of {@code runs} simulated releases got the same rollback window from both. */
  static int agreeing(Scenario s, int runs, long seed) {
    ReleasePolicy policy = policy(s.horizon(), s.slicesPerMinute());
    VerdictEngine engine = new CriteriaEngine();
    long nc = Math.round(s.outputsPerMinute() * s.share() / s.slicesPerMinute());
    long nb = s.outputsPerMinute() / s.slicesPerMinute() - nc;
    int agree = 0;
    for (int run = 0; run < runs; run++) {
      SplittableRandom rnd = new SplittableRandom(seed + run);
      double phase = rnd.nextDouble();
      Detector d = new RipcordDetector("ripcord", DetectionBenchmark.BUDGET, s.horizon(), DetectionBenchmark.SUSTAIN,
          SequentialTest.Rules.CURRENT);
      EngineState state = engine.start(policy);
      int byDetector = -1;
      int byEngine = -1;
      for (int t = 0; t < s.horizon() && (byDetector < 0 || byEngine < 0); t++) {
        double minute = t / (double) s.slicesPerMinute();
        long xc = Simulator.binomial(rnd, nc, Simulator.rate(rnd, s, s.candidate(minute, phase)));
        long xb = Simulator.binomial(rnd, nb, Simulator.rate(rnd, s, s.baseline(minute, phase)));
        if (byDetector < 0 && d.window(t, xc, nc, xb, nb)) {
          byDetector = t;
        }
        Evaluation e = engine.evaluate(policy, state, new Observation(null, null, "canary", Map.of("hallucination",
            new SignalReading(Arm.counts(xc, nc), Arm.counts(xb, nb), null)), "bench", null));
        state = e.state();
        if (byEngine < 0 && e.verdict().verdict() == Verdict.ROLLBACK) {
          byEngine = t;
        }
      }
      if (byDetector == byEngine) {
        agree++;
      }
    }
    return agree;
  }
}
