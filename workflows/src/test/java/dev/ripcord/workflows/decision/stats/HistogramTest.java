package dev.ripcord.workflows.decision.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Quantiles and counts beyond a point from cumulative buckets, interpolated as Prometheus does. */
class HistogramTest {
  private static Histogram of(Object... boundsAndCounts) {
    Map<String, Long> m = new LinkedHashMap<>();
    for (int i = 0; i < boundsAndCounts.length; i += 2) {
      m.put((String) boundsAndCounts[i], ((Number) boundsAndCounts[i + 1]).longValue());
    }
    return assertInstanceOf(Histogram.class, Histogram.read(m));
  }

  @Test
  void quantilesInterpolateWithinTheirBucket() {
    Histogram h = of("+Inf", 200, "250", 180, "500", 190, "1000", 197); // any order; +Inf is the total
    assertEquals(200, h.total());
    assertEquals(125.0, h.quantile(0.45), 1e-9, "rank 90 of 180 in [0, 250]");
    assertEquals(375.0, h.quantile(0.925), 1e-9, "rank 185: halfway through (250, 500]");
    assertEquals(1000.0, h.quantile(0.99), 1e-9, "rank 198 lies in +Inf: the highest finite bound");
  }

  @Test
  void countsBeyondAPointInterpolateToo() {
    Histogram h = of("250", 180, "500", 190, "1000", 197, "+Inf", 200);
    assertEquals(15.0, h.countAbove(375), 1e-9, "half of (250, 500]'s 10, and the 10 above 500");
    assertEquals(10.0, h.countAbove(500), 1e-9);
    assertEquals(3.0, h.countAbove(5000), 1e-9, "only +Inf's requests lie beyond every finite bound");
    assertEquals(200.0, h.countAbove(0), 1e-9);
  }

  @Test
  void bucketsThatNoDataCanGiveAreRefusedWithTheFix() {
    assertTrue(((String) Histogram.read(Map.of("250", 5L))).contains("+Inf"));
    assertTrue(((String) Histogram.read(Map.of("fast", 5L, "+Inf", 6L))).contains("'fast' is not an upper bound"));
    String falling = (String) Histogram.read(new LinkedHashMap<>(Map.of("250", 9L, "500", 5L, "+Inf", 9L)));
    assertTrue(falling.contains("cumulative"), falling);
    assertTrue(((String) Histogram.read(Map.of("-1", 0L, "+Inf", 1L))).contains("0 or more"));
  }
}
