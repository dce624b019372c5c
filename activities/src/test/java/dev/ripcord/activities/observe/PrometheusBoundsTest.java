package dev.ripcord.activities.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** A histogram's {@code le} bounds in the signal's unit: exact decimals, so bucket keys do not drift. */
class PrometheusBoundsTest {
  @Test
  void boundsInSecondsReadAsMillisecondsWithoutBinaryFractions() {
    assertEquals("25", PrometheusObservationActivities.scaled("0.025", 1000.0)); // 0.025 * 1000 = 25.000000000000004
    assertEquals("5", PrometheusObservationActivities.scaled("0.005", 1000.0));
    assertEquals("2.5", PrometheusObservationActivities.scaled("0.0025", 1000.0));
    assertEquals("81920000", PrometheusObservationActivities.scaled("81.92e3", 1000.0));
    assertEquals("+Inf", PrometheusObservationActivities.scaled("+Inf", 1000.0));
    assertEquals("0.25", PrometheusObservationActivities.scaled("0.25", null), "no scale: the bound as written");
  }
}
