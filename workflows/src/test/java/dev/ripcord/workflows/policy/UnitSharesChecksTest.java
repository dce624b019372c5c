package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ripcord.workflows.decision.Observations;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Quantile and paired signals that come in users: the policies the validator takes, and pushed windows whose unit
 * sums are incomplete, misplaced or impossible refused with the field and the fix.
 */
class UnitSharesChecksTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final ReleasePolicy POLICY = PolicyBuilder.chat().pushed().latencyTest(1.2, "rollback")
      .pairedJudge("rollback").sharesByUser().build();
  private static final Map<String, Long> BUCKETS = Map.of("500", 850L, "1000", 940L, "+Inf", 1000L);

  private static Observations.Parsed push(String signal, Map<String, Object> reading) {
    return Observations.parse(JSON.valueToTree(Map.of("signals", Map.of(signal, reading))), POLICY);
  }

  private static Map<String, Double> sums(double a, double b, double inf) {
    Map<String, Double> m = new LinkedHashMap<>();
    m.put("500", a);
    m.put("1000", b);
    m.put("+Inf", inf);
    return m;
  }

  @Test
  void aQuantileAndAPairedSignalInUsersAreAccepted() throws Exception {
    PolicyLoader.Loaded l = PolicyLoader.load("p.json", PolicyLoader.toJson(POLICY));
    assertEquals("user", l.policy().signal("latency_ms").unit());
    assertEquals("user", l.policy().signal("judged_bad").unit());
  }

  @Test
  void completeSumsByBoundAreTakenAndIncompleteOrImpossibleOnesAreRefusedWithTheFix() {
    Map<String, Object> ok = Map.of("buckets", BUCKETS, "units", 40, "unitBucketsSq", sums(500, 800, 1000),
        "unitBucketsTrials", sums(700, 900, 1000));
    assertTrue(push("latency_ms", Map.of("candidate", ok)).ok(), push("latency_ms", Map.of("candidate", ok)).problem());
    String missing = push("latency_ms", Map.of("candidate", Map.of("buckets", BUCKETS, "units", 40, "unitBucketsSq",
        sums(500, 800, 1000)))).problem();
    assertTrue(missing.contains("signals.latency_ms.candidate needs all three of units, unitBucketsSq and"
        + " unitBucketsTrials"), missing);
    Map<String, Double> noBound = sums(500, 800, 1000);
    noBound.remove("1000");
    String bound = push("latency_ms", Map.of("candidate", Map.of("buckets", BUCKETS, "units", 40, "unitBucketsSq",
        noBound, "unitBucketsTrials", sums(700, 900, 1000)))).problem();
    assertTrue(bound.contains("need a number for every bucket bound the buckets hold"), bound);
    String impossible = push("latency_ms", Map.of("candidate", Map.of("buckets", BUCKETS, "units", 40,
        "unitBucketsSq", sums(950, 800, 1000), "unitBucketsTrials", sums(700, 900, 1000)))).problem();
    assertTrue(impossible.contains("at bound 500.0 the sums cannot come from units"), impossible);
    String rateForm = push("latency_ms", Map.of("candidate", Map.of("buckets", BUCKETS, "units", 40,
        "unitEventsSq", 3, "unitTrialsSq", 4, "unitEventsTrials", 3))).problem();
    assertTrue(rateForm.contains("a quantile's units come by bucket bound"), rateForm);
    String onRate = push("hallucination", Map.of("candidate", Map.of("events", 3, "trials", 1000,
        "unitBucketsSq", sums(1, 2, 3)))).problem();
    assertTrue(onRate.contains("unitEventsSq, unitTrialsSq and unitEventsTrials are for signals that declare a unit"),
        onRate);
  }

  @Test
  void pairsInUsersNeedAllFourSumsAndSumsUnitsCanGive() {
    Map<String, Object> pairs = new LinkedHashMap<>(Map.of("candidateWorse", 30, "baselineWorse", 10, "concordant",
        960, "units", 300, "unitWorseSq", 20.0, "unitDiscordantSq", 40.0, "unitWorseDiscordant", 28.0));
    assertTrue(push("judged_bad", Map.of("pairs", pairs)).ok(), push("judged_bad", Map.of("pairs", pairs)).problem());
    pairs.remove("unitDiscordantSq");
    String three = push("judged_bad", Map.of("pairs", pairs)).problem();
    assertTrue(three.contains("signals.judged_bad.pairs needs all four of units, unitWorseSq, unitDiscordantSq and"
        + " unitWorseDiscordant"), three);
    pairs.put("unitDiscordantSq", 40.0);
    pairs.put("unitWorseSq", 30.0);
    String more = push("judged_bad", Map.of("pairs", pairs)).problem();
    assertTrue(more.contains("unitWorseSq exceeds unitWorseDiscordant"), more);
    pairs.put("unitWorseSq", 20.0);
    pairs.put("unitWorseDiscordant", 39.0);
    String cs = push("judged_bad", Map.of("pairs", pairs)).problem();
    assertTrue(cs.contains("unitWorseDiscordant² exceeds unitWorseSq × unitDiscordantSq"), cs);
    ReleasePolicy unitless = PolicyBuilder.chat().pushed().pairedJudge("rollback").build();
    String none = Observations.parse(JSON.valueToTree(Map.of("signals", Map.of("judged_bad", Map.of("pairs",
        Map.of("candidateWorse", 3, "baselineWorse", 1, "concordant", 96, "units", 2, "unitWorseSq", 1.0,
            "unitDiscordantSq", 4.0, "unitWorseDiscordant", 2.0))))), unitless).problem();
    assertTrue(none.contains("signals.judged_bad.pairs: units, unitWorseSq, unitDiscordantSq and unitWorseDiscordant"
        + " are for paired signals that declare a unit"), none);
  }
}
