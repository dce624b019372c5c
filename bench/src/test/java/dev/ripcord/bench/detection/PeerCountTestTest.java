package dev.ripcord.bench.detection;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

/**
 * The benchmark's peer computes what the peer's package computes: savvi 0.3.1's log(odds) after every batch of
 * {@code savvi-reference.json} (written by bench/peer/savvi_reference.py with the package itself), to 1e-9.
 */
class PeerCountTestTest {

  @Test
  void theStatisticIsThePackagesToTheNinthDigit() throws Exception {
    JsonNode ref;
    try (InputStream in = getClass().getResourceAsStream("/savvi-reference.json")) {
      ref = new ObjectMapper().readTree(in);
    }
    assertEquals("savvi 0.3.1", ref.get("package").asText());
    assertEquals(PeerCountTestDetector.K, ref.get("k").asDouble());
    int checked = 0;
    for (JsonNode c : ref.get("cases")) {
      double rho = c.get("rho").asDouble();
      PeerCountTestDetector peer = new PeerCountTestDetector(rho, 1e-3);
      for (int i = 0; i < c.get("batches").size(); i++) {
        JsonNode b = c.get("batches").get(i);
        peer.window(i, b.get(0).asLong(), 0, b.get(1).asLong(), 0);
        double expected = c.get("logOdds").get(i).asDouble();
        assertEquals(expected, peer.logOdds(), 1e-9 * Math.max(1, Math.abs(expected)), "rho " + rho + " batch " + i);
        checked++;
      }
    }
    assertEquals(20, checked);
  }

  @Test
  void itRollsBackOnlyWhenTheCandidateHoldsMoreThanItsShareOfTheEvents() {
    PeerCountTestDetector worse = new PeerCountTestDetector(0.5, 1e-3);
    PeerCountTestDetector better = new PeerCountTestDetector(0.5, 1e-3);
    boolean worseFired = false;
    boolean betterFired = false;
    for (int t = 0; t < 20; t++) {
      worseFired |= worse.window(t, 30, 1000, 15, 1000);
      betterFired |= better.window(t, 15, 1000, 30, 1000);
    }
    assertTrue(worseFired, "twice the baseline's events");
    assertFalse(betterFired, "half the baseline's events: the two-sided test rejects, the rollback rule does not act");
    assertTrue(better.logOdds() > Math.log(1e3), "it did reject");
  }
}
