package dev.ripcord.workflows.decision;

import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.policy.ReleasePolicy;
import java.util.Collection;

/**
 * Turns observations into verdicts: {@code (EngineState, Observation) -> (EngineState, WindowVerdict)}.
 * Implementations are pure and deterministic (no clock, randomness or I/O; {@code StrictMath} for transcendental
 * functions), because the workflow calls them and replays them.
 */
public interface VerdictEngine {

  EngineState start(ReleasePolicy policy);

  /** Evaluates one window under today's rules. */
  default Evaluation evaluate(ReleasePolicy policy, EngineState state, Observation observation) {
    return evaluate(policy, state, observation, () -> true, SequentialTest.Rules.CURRENT);
  }

  /**
   * Evaluates one window; {@code spanRule} says whether {@code maxInconclusive} also counts inconclusive windows over
   * {@code evaluation.inconclusiveSpan}, and is asked only in a window where that alone would make a criterion fire
   * (the workflow answers it with a version marker, so histories from before the rule replay unchanged).
   */
  default Evaluation evaluate(ReleasePolicy policy, EngineState state, Observation observation,
      java.util.function.BooleanSupplier spanRule) {
    return evaluate(policy, state, observation, spanRule, SequentialTest.Rules.CURRENT);
  }

  /**
   * Evaluates one window; {@code tests} is the arithmetic of sequential tests ({@link SequentialTest.Rules}), which
   * the workflow chooses with a version marker so that histories recorded before today's replay unchanged.
   */
  Evaluation evaluate(ReleasePolicy policy, EngineState state, Observation observation,
      java.util.function.BooleanSupplier spanRule, SequentialTest.Rules tests);

  /** Forgets the evidence behind {@code criteria}, e.g. after a person rejected the rollback they asked for. */
  EngineState forget(EngineState state, Collection<String> criteria);

  /**
   * As {@link #evaluate(ReleasePolicy, EngineState, Observation, java.util.function.BooleanSupplier,
   * SequentialTest.Rules)}, with every leaf that compares the arms inconclusive for {@code distrust} when it is not
   * null (a sample ratio mismatch: the arms' comparison is not evidence).
   */
  default Evaluation evaluate(ReleasePolicy policy, EngineState state, Observation observation,
      java.util.function.BooleanSupplier spanRule, SequentialTest.Rules tests, String distrust) {
    return evaluate(policy, state, observation, spanRule, tests);
  }

  /** Whether the baseline keeps the criteria's absolute limits in {@code observation} (recovery after a rollback). */
  default BaselineCheck baselineWithinLimits(ReleasePolicy policy, Observation observation) {
    return BaselineCheck.of(policy, observation);
  }
}
