package dev.ripcord.workflows.decision.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.decision.Allocation;
import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.classify.Classified.Kind;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.LeafKind;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Each classifier on its own: the outcome and its reason for one window. */
class ClassifiersTest {
  private static final SignalSpec RATE = new SignalSpec("hallucination", "rate", "quality", "higher-is-worse", 10000,
      true, null);
  private static final SignalSpec LATENCY = new SignalSpec("latency_p99_ms", "quantile", "operational",
      "higher-is-worse", null, false, null);

  private static ConditionSpec rateLimit(Double above, Long minSamples) {
    return new ConditionSpec("hallucination", above, null, null, null, minSamples, null, null, null, null);
  }

  private static Observation window(SignalSpec s, SignalReading r) {
    return new Observation("2026-12-01T10:00:00Z", null, "canary", Map.of(s.name(), r), "test", null);
  }

  private static Leaf leaf(TreeMap<String, Double> stats) {
    return new Leaf("c", "when", stats, Allocation.of(PolicyBuilder.chat().build()), 1, 1);
  }

  @Test
  void aLimitBreachesAboveItAndNeedsItsSamples() {
    ConditionSpec c = rateLimit(8.0, 1000L);
    Classified bad = new LimitClassifier().classify(leaf(new TreeMap<>()), RATE, c,
        window(RATE, new SignalReading(Arm.counts(30, 10_000), null, null)));
    assertEquals(Kind.BREACH, bad.kind());
    assertEquals("hallucination 30.0/10k > 8.0/10k", bad.text());
    assertEquals(List.of(new Measure("when", "hallucination", "value", 30.0, ">", 8.0, 30.0, null, null)),
        bad.measures());
    Classified few = new LimitClassifier().classify(leaf(new TreeMap<>()), RATE, c,
        window(RATE, new SignalReading(Arm.counts(30, 10), null, null)));
    assertEquals(new Classified(Kind.INCONCLUSIVE, "hallucination: only 10 of 1000 samples"), few);
    assertEquals(List.of(), few.measures(), "an inconclusive leaf has no number to draw");
  }

  @Test
  void aBaselineRatioComparesWithTheConcurrentBaseline() {
    ConditionSpec c = new ConditionSpec("latency_p99_ms", null, null, 1.2, null, null, null, null, null, null);
    Classified slower = new BaselineRatioClassifier().classify(leaf(new TreeMap<>()), LATENCY, c,
        window(LATENCY, new SignalReading(Arm.value(900), Arm.value(600), null)));
    assertEquals(Kind.BREACH, slower.kind());
    assertEquals("latency_p99_ms 900 vs baseline 600, ratio 1.50 > 1.20 (no sample size: a threshold, not a test)",
        slower.text());
    assertEquals(List.of(new Measure("when", "latency_p99_ms", "ratio", 1.5, ">", 1.2, 900.0, 600.0, null)),
        slower.measures());
    Classified noBaseline = new BaselineRatioClassifier().classify(leaf(new TreeMap<>()), LATENCY, c,
        window(LATENCY, new SignalReading(Arm.value(900), null, null)));
    assertEquals(Kind.INCONCLUSIVE, noBaseline.kind());
    assertTrue(LeafKind.comparesWithBaseline(c));
    assertFalse(LeafKind.comparesWithBaseline(rateLimit(8.0, null)));
  }

  @Test
  void aConfidenceLimitUsesTheWilsonBoundNotThePointEstimate() {
    ConditionSpec c = new ConditionSpec("hallucination", 8.0, null, null, null, null, null, null, null, null,
        null, null, null, 0.95, null, null);
    // 2 in 1,000 is 20/10k, but with so few samples the lower bound is not surely above 8/10k.
    Classified unsure = new ConfidenceLimitClassifier().classify(leaf(new TreeMap<>()), RATE, c,
        window(RATE, new SignalReading(Arm.counts(2, 1_000), null, null)));
    assertEquals(Kind.OK, unsure.kind(), unsure.text());
    Classified sure = new ConfidenceLimitClassifier().classify(leaf(new TreeMap<>()), RATE, c,
        window(RATE, new SignalReading(Arm.counts(200, 100_000), null, null)));
    assertEquals(Kind.BREACH, sure.kind(), sure.text());
    Measure bound = sure.measures().get(0);
    assertEquals("lower bound", bound.statistic());
    assertTrue(bound.beyond() && bound.value() < 20.0 && bound.candidate() == 20.0, bound.toString());
    assertFalse(unsure.measures().get(0).beyond(), unsure.measures().toString());
  }

  @Test
  void aSequentialTestAccumulatesEvidenceAcrossWindowsInTheCriterionsStatistics() {
    ConditionSpec c = new ConditionSpec("hallucination", 8.0, null, null, null, null, null, null, null, null,
        "sprt", null, null, null, null, null);
    TreeMap<String, Double> stats = new TreeMap<>();
    Classifier sprt = Classifier.of(LeafKind.of(c, RATE));
    assertInstanceOf(SequentialClassifier.class, sprt);
    Kind last = null;
    int windows = 0;
    double previous = Double.NEGATIVE_INFINITY;
    while (last != Kind.BREACH && windows < 50) {
      Classified out = sprt.classify(leaf(stats), RATE, c, window(RATE, new SignalReading(Arm.counts(3, 1_000), null,
          null)));
      last = out.kind();
      windows++;
      Measure m = out.measures().get(0);
      // The log-likelihood ratio grows window by window and breaches exactly where it reaches the threshold.
      assertTrue(m.value() > previous && m.beyond() == (last == Kind.BREACH) && m.samples() == windows * 1_000L,
          m.toString());
      assertEquals(30.0, m.candidate(), 1e-9);
      previous = m.value();
    }
    assertEquals(Kind.BREACH, last, "30/10k against a limit of 8/10k crosses the threshold");
    assertTrue(windows > 1, "one window alone is not enough evidence: " + windows);
    assertTrue(stats.containsKey("when/s0") && stats.get("when/n") == windows * 1_000.0, stats.toString());
  }

  @Test
  void aSliceDisparityFindsTheWorstSliceAgainstTheRest() {
    ConditionSpec c = new ConditionSpec("hallucination", null, null, null, null, 100L, null, null, null, null,
        null, null, null, null, 2.0, "rest");
    Map<String, SignalReading> slices = Map.of(
        "en", new SignalReading(Arm.counts(5, 10_000), null, null),
        "de", new SignalReading(Arm.counts(5, 10_000), null, null),
        "pt", new SignalReading(Arm.counts(30, 10_000), null, null));
    Classified unfair = new SliceDisparityClassifier().classify(leaf(new TreeMap<>()), RATE, c,
        window(RATE, new SignalReading(null, null, slices)));
    assertEquals(Kind.BREACH, unfair.kind());
    assertTrue(unfair.text().startsWith("hallucination worst slice pt 30.0/10k vs other slices 5.0/10k"),
        unfair.text());
    Measure worst = unfair.measures().get(0);
    // The ratio of smoothed rates (a little under 30/5), against the slice ratio limit; the rates as measured.
    assertTrue(worst.value() > 5.5 && worst.value() < 6.0 && worst.beyond(), worst.toString());
    assertEquals(List.of(30.0, 5.0, 2.0), List.of(worst.candidate(), worst.baseline(), worst.threshold()));
  }
}
