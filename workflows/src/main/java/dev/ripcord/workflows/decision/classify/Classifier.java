package dev.ripcord.workflows.decision.classify;

import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.LeafKind;
import dev.ripcord.workflows.policy.SignalSpec;

/**
 * Classifies one window for one leaf condition, as Kayenta's metric classifiers do: a kind of test on a signal,
 * returning the outcome with its reason. Pure and deterministic; a sequential classifier keeps its running state in
 * the criterion's statistics ({@link Leaf#stats}).
 */
public interface Classifier {
  Classified classify(Leaf leaf, SignalSpec signal, ConditionSpec condition, Observation window);

  /** The classifier of a leaf's kind. */
  static Classifier of(LeafKind kind) {
    return switch (kind) {
      case PAIRED -> new PairedClassifier();
      case SEQUENTIAL -> new SequentialClassifier();
      case MEAN_TEST -> new MeanTestClassifier();
      case QUANTILE -> new QuantileClassifier();
      case SLICE_DISPARITY -> new SliceDisparityClassifier();
      case CONFIDENCE_LIMIT -> new ConfidenceLimitClassifier();
      case LIMIT -> new LimitClassifier();
      case BASELINE_RATIO -> new BaselineRatioClassifier();
    };
  }
}
