package dev.ripcord.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.release.ReleaseState;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** The state gauge reads visibility's counts, and this worker's own counters when the server cannot count. */
class ReleasesByStateTest {
  @Test
  void visibilityCountsAreShownAndAServerThatCannotCountFallsBackToTransitions() {
    AtomicBoolean up = new AtomicBoolean(true);
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    registry.counter("ripcord_state_entered", "state", "ROLLING_OUT").increment(2);
    registry.counter("ripcord_state_left", "state", "ROLLING_OUT").increment(1);
    try (ReleasesByState g = new ReleasesByState(q -> {
      if (!up.get()) {
        throw new UnsupportedOperationException("CountWorkflowExecutions is not implemented");
      }
      return q.contains("'ROLLING_OUT'") ? 7 : 0;
    }, Duration.ofHours(1))) {
      g.bindTo(registry);
      g.refresh();
      assertTrue(g.visible());
      assertEquals(7.0, registry.get("ripcord_releases").tag("state", "ROLLING_OUT").gauge().value());
      up.set(false);
      g.refresh();
      assertFalse(g.visible());
      assertEquals(1.0, registry.get("ripcord_releases").tag("state", "ROLLING_OUT").gauge().value());
    }
    assertEquals("WorkflowType = 'Release' AND RipcordState = 'ROLLING_OUT' AND ExecutionStatus = 'Running'",
        ReleasesByState.query(ReleaseState.ROLLING_OUT));
    assertEquals("WorkflowType = 'Release' AND RipcordState = 'ROLLED_BACK' AND ExecutionStatus = 'Completed'",
        ReleasesByState.query(ReleaseState.ROLLED_BACK));
  }
}
