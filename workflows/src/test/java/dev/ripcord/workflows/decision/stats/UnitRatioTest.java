package dev.ripcord.workflows.decision.stats;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The ratio of sums over units and its delta-method variance, against a hand computation. */
class UnitRatioTest {
  // Three users: 1 event in 10 outputs, 0 in 10, 4 in 20.
  private static final UnitRatio THREE = new UnitRatio(3, 5, 40, 1 + 0 + 16, 100 + 100 + 400, 10 + 0 + 80);

  @Test
  void theVarianceIsTheUnitsResidualsAroundTheRatioOverTheSquaredTrials() {
    assertEquals(0.125, THREE.ratio(), 1e-12);
    // Σ(e − R·t)² = 0.25² + 1.25² + 1.5² = 3.875; over (Σt)² = 1600, times U/(U−1) = 3/2.
    assertEquals(3.875 / 1600 * 1.5, THREE.variance(), 1e-12);
    MeanTest.Sample s = THREE.asSample();
    assertEquals(3, s.n());
    assertEquals(0.125, s.mean(), 1e-12);
    double sampleVar = (s.sumSquares() - s.sum() * s.sum() / s.n()) / (s.n() - 1);
    assertEquals(THREE.variance(), sampleVar / s.n(), 1e-12, "the test of means sees the delta method's variance");
  }

  @Test
  void oneUnitHasNoVarianceAndImpossibleSumsAreNamed() {
    assertTrue(Double.isNaN(new UnitRatio(1, 1, 10, 1, 100, 10).variance()));
    assertNull(new UnitRatio(1, 1, 10, 1, 100, 10).asSample());
    assertNull(UnitRatio.problem(3, 17, 600, 90));
    assertEquals("unitEventsTrials² exceeds unitEventsSq × unitTrialsSq, which no units can give (Cauchy-Schwarz)",
        UnitRatio.problem(3, 1, 1, 5));
    assertTrue(UnitRatio.problem(0, 1, 1, 1).startsWith("units is 0"));
    assertTrue(UnitRatio.problem(3, -1, 1, 0).contains("must be finite and not negative"));
  }
}
