package dev.ripcord.workflows.decision.classify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.ripcord.workflows.decision.Allocation;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import dev.ripcord.workflows.decision.classify.Classified.Kind;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.LeafKind;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Graded scores tested with their samples, and quantiles read from histograms, one window at a time. */
class ScoredClassifiersTest {
  private static final SignalSpec UTILITY = new SignalSpec("utility_score", "mean", "quality", "lower-is-worse", null,
      true, null);
  private static final SignalSpec LATENCY = new SignalSpec("latency_ms", "quantile", "operational", null, null, true,
      null);

  private static ConditionSpec when(String yaml) throws Exception {
    return new YAMLMapper().readValue(yaml, ConditionSpec.class);
  }

  private static Observation window(SignalSpec s, Arm candidate, Arm baseline) {
    return new Observation("2026-12-01T10:00:00Z", null, "canary",
        Map.of(s.name(), new SignalReading(candidate, baseline, null)), "test", null);
  }

  private static Leaf leaf(TreeMap<String, Double> stats) {
    return new Leaf("c", "when", stats, Allocation.of(PolicyBuilder.chat().build()), 1, 1);
  }

  private static Map<String, Long> buckets(long le250, long le500, long le1000, long le2500, long all) {
    Map<String, Long> m = new LinkedHashMap<>();
    m.put("250", le250);
    m.put("500", le500);
    m.put("1000", le1000);
    m.put("2500", le2500);
    m.put("+Inf", all);
    return m;
  }

  @Test
  void aScoreBelowTheMarginIsFoundWithItsNumbersAndBound() throws Exception {
    ConditionSpec c = when("{signal: utility_score, baselineRatioBelow: 0.97, test: msprt}");
    Classifier k = Classifier.of(LeafKind.of(c, UTILITY));
    assertInstanceOf(MeanTestClassifier.class, k);
    Classified drop = k.classify(leaf(new TreeMap<>()), UTILITY, c,
        window(UTILITY, Arm.mean(0.741, 1_840, 0.25), Arm.mean(0.8, 16_560, 0.25)));
    assertEquals(Kind.BREACH, drop.kind(), drop.text());
    assertTrue(drop.text().startsWith("utility_score 0.741 (n 1,840) vs baseline 0.800 (n 16,560): ratio 0.926, ≤ 0.9"),
        drop.text());
    assertTrue(drop.text().contains("always-valid confidence < 0.97"), drop.text());
  }

  @Test
  void evidenceAccumulatesAcrossWindowsAndAValueAloneIsNoEvidence() throws Exception {
    ConditionSpec c = when("{signal: utility_score, baselineRatioBelow: 0.97, test: msprt}");
    TreeMap<String, Double> stats = new TreeMap<>();
    Classifier k = Classifier.of(LeafKind.of(c, UTILITY));
    Classified bare = k.classify(leaf(stats), UTILITY, c, window(UTILITY, Arm.value(0.5), Arm.value(0.8)));
    assertEquals(Kind.INCONCLUSIVE, bare.kind());
    assertTrue(bare.text().contains("no sample size"), bare.text());
    int windows = 0;
    Classified last = null;
    while (windows < 30 && (last == null || last.kind() != Kind.BREACH)) {
      last = k.classify(leaf(stats), UTILITY, c, window(UTILITY, Arm.mean(0.74, 60, 0.25), Arm.mean(0.8, 540, 0.25)));
      windows++;
    }
    assertEquals(Kind.BREACH, last.kind(), last.text());
    assertTrue(windows > 1, "one window of 60 scores is not enough: " + windows);
    assertEquals(60.0 * windows, stats.get("when/m0"), 1e-9);
  }

  @Test
  void aQuantileAgainstTheBaselinesIsTestedOnTheShareBeyondIt() throws Exception {
    ConditionSpec c = when("{signal: latency_ms, quantile: 0.99, baselineRatioAbove: 1.2, test: msprt}");
    Classifier k = Classifier.of(LeafKind.of(c, LATENCY));
    assertInstanceOf(QuantileClassifier.class, k);
    TreeMap<String, Double> stats = new TreeMap<>();
    Observation slow = window(LATENCY, Arm.buckets(buckets(800, 900, 940, 990, 1_000)),
        Arm.buckets(buckets(8_000, 9_500, 9_900, 9_990, 10_000)));
    Classified last = null;
    for (int w = 0; w < 10 && (last == null || last.kind() != Kind.BREACH); w++) {
      last = k.classify(leaf(stats), LATENCY, c, slow);
    }
    assertEquals(Kind.BREACH, last.kind(), last.text());
    assertTrue(last.text().contains("latency_ms p99 candidate") && last.text().contains("interpolated within its bucket")
        && last.text().contains("mSPRT on the share beyond it against 1.00 %"), last.text());
    Observation same = window(LATENCY, Arm.buckets(buckets(800, 950, 990, 999, 1_000)),
        Arm.buckets(buckets(8_000, 9_500, 9_900, 9_990, 10_000)));
    TreeMap<String, Double> healthy = new TreeMap<>();
    for (int w = 0; w < 50; w++) {
      assertEquals(Kind.OK, k.classify(leaf(healthy), LATENCY, c, same).kind());
    }
  }

  @Test
  void aQuantileAboveALimitWithConfidenceUsesTheWilsonBound() throws Exception {
    ConditionSpec c = when("{signal: latency_ms, quantile: 0.99, above: 2500, confidence: 0.99}");
    Classifier k = Classifier.of(LeafKind.of(c, LATENCY));
    Classified over = k.classify(leaf(new TreeMap<>()), LATENCY, c,
        window(LATENCY, Arm.buckets(buckets(8_000, 9_000, 9_500, 9_700, 10_000)), null));
    assertEquals(Kind.BREACH, over.kind(), over.text()); // 3 % beyond 2500 on 10,000 requests
    Classified unsure = k.classify(leaf(new TreeMap<>()), LATENCY, c,
        window(LATENCY, Arm.buckets(buckets(80, 90, 95, 97, 99)), null));
    assertEquals(Kind.OK, unsure.kind(), unsure.text()); // 2 of 99: not surely above 1 %
    ConditionSpec plain = when("{signal: latency_ms, quantile: 0.99, above: 2500}");
    Classified precomputed = Classifier.of(LeafKind.of(plain, LATENCY)).classify(leaf(new TreeMap<>()), LATENCY,
        plain, window(LATENCY, Arm.value(2_700), null));
    assertEquals(Kind.BREACH, precomputed.kind(), precomputed.text());
  }

  @Test
  void aDropOnlyOnceExposedIsJudgedSinceItsStageBeganNotDilutedByTheShadow() throws Exception {
    ConditionSpec c = when("{signal: utility_score, baselineRatioBelow: 0.97, test: msprt}");
    Classifier k = Classifier.of(LeafKind.of(c, UTILITY));
    int[] found = new int[2];
    for (int variant = 0; variant < 2; variant++) {
      var rules = variant == 0 ? dev.ripcord.workflows.decision.stats.SequentialTest.Rules.V2
          : dev.ripcord.workflows.decision.stats.SequentialTest.Rules.V3;
      TreeMap<String, Double> stats = new TreeMap<>();
      Leaf leaf = new Leaf("c", "when", stats, Allocation.of(PolicyBuilder.chat().build()), 1, 1, rules, 3);
      for (int w = 0; w < 60; w++) { // an hour of shadow traffic: as useful as the baseline
        Observation shadow = new Observation("t", null, "shadow", Map.of("utility_score", new SignalReading(
            Arm.mean(0.8, 2_000, 0.25), Arm.mean(0.8, 2_000, 0.25), null)), "test", null);
        assertEquals(Kind.OK, k.classify(leaf, UTILITY, c, shadow).kind());
      }
      Classified last = null;
      int w = 0;
      while (w < 600 && (last == null || last.kind() != Kind.BREACH)) {
        Observation canary = new Observation("t", null, "canary", Map.of("utility_score", new SignalReading(
            Arm.mean(0.74, 200, 0.25), Arm.mean(0.8, 1_800, 0.25), null)), "test", null);
        last = k.classify(leaf, UTILITY, c, canary);
        w++;
      }
      found[variant] = last.kind() == Kind.BREACH ? w : Integer.MAX_VALUE;
      if (variant == 1) {
        assertEquals(Kind.BREACH, last.kind(), last.text());
        assertTrue(last.text().contains("since stage 'canary'"), last.text());
      }
    }
    // Summed over the release, the healthy hour hides a candidate 7.5 % less useful for hours.
    assertTrue(found[1] * 10 < found[0], "by stage: " + found[1] + " windows, summed over the release: " + found[0]);
  }

  @Test
  void aQuantileSlowerOnlyOnceExposedIsJudgedSinceItsStageBegan() throws Exception {
    ConditionSpec c = when("{signal: latency_ms, quantile: 0.99, baselineRatioAbove: 1.2, test: msprt}");
    Classifier k = Classifier.of(LeafKind.of(c, LATENCY));
    Observation fast = new Observation("t", null, "shadow", Map.of("latency_ms", new SignalReading(
        Arm.buckets(buckets(8_000, 9_500, 9_900, 9_990, 10_000)), Arm.buckets(buckets(8_000, 9_500, 9_900, 9_990,
        10_000)), null)), "test", null);
    Observation slow = new Observation("t", null, "canary", Map.of("latency_ms", new SignalReading(
        Arm.buckets(buckets(150, 170, 188, 196, 200)), Arm.buckets(buckets(8_000, 9_500, 9_900, 9_990, 10_000)),
        null)), "test", null);
    int[] found = new int[2];
    for (int variant = 0; variant < 2; variant++) {
      var rules = variant == 0 ? dev.ripcord.workflows.decision.stats.SequentialTest.Rules.V3
          : dev.ripcord.workflows.decision.stats.SequentialTest.Rules.V4;
      Leaf leaf = new Leaf("c", "when", new TreeMap<>(), Allocation.of(PolicyBuilder.chat().build()), 1, 1, rules, 3);
      for (int w = 0; w < 60; w++) { // an hour of mirrored traffic, the candidate as fast as the baseline
        assertEquals(Kind.OK, k.classify(leaf, LATENCY, c, fast).kind());
      }
      Classified last = null;
      int w = 0;
      while (w < 600 && (last == null || last.kind() != Kind.BREACH)) { // 6 % of 200 requests beyond 1.2 x p99
        last = k.classify(leaf, LATENCY, c, slow);
        w++;
      }
      found[variant] = last.kind() == Kind.BREACH ? w : Integer.MAX_VALUE;
      if (variant == 1) {
        assertEquals(Kind.BREACH, last.kind(), last.text());
        assertTrue(last.text().contains("against 1.00 % since stage 'canary'"), last.text());
      }
    }
    // Summed over the release, the hour of "no slower" must be paid back first.
    assertTrue(found[1] * 5 < found[0], "by stage: " + found[1] + " windows, summed over the release: " + found[0]);
  }
}
