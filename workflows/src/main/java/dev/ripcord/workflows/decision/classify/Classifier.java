package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.SignalSpec;

/**
 * Classifies one window for one leaf condition, as Kayenta's metric classifiers do: a kind of test on a signal,
 * returning the outcome with its reason. Pure and deterministic; a sequential classifier keeps its running state in
 * the criterion's statistics ({@link Leaf#stats}).
 */
public interface Classifier {
  Classified classify(Leaf leaf, SignalSpec signal, ConditionSpec condition, Observation window);

  /** Picks the classifier a leaf condition on {@code signal} asks for. */
  static Classifier of(ConditionSpec c, SignalSpec signal) {
    if (signal.isPaired()) {
      return new PairedClassifier();
    }
    if (c.isSequential()) {
      return new SequentialClassifier();
    }
    if (c.sliceRatioAbove() != null) {
      return new SliceDisparityClassifier();
    }
    if (c.confidence() != null) {
      return new ConfidenceLimitClassifier();
    }
    if (c.above() != null || c.below() != null) {
      return new LimitClassifier();
    }
    return new BaselineRatioClassifier();
  }

  /** Whether a leaf compares the candidate with the concurrent baseline (so needs baseline traffic). */
  static boolean comparesWithBaseline(ConditionSpec c) {
    return c.baselineRatioAbove() != null || c.baselineRatioBelow() != null || "baseline".equals(c.sliceVs());
  }
}
