package dev.ripcord.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.ripcord.workflows.ledger.AccuracyLedger;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** The ledger's rows become gauges per policy and criterion, and a refresh replaces them. */
class AccuracyMetricsTest {
  @Test
  void rowsBecomeGaugesAndARefreshReplacesThem() {
    AtomicReference<AccuracyLedger.Accuracy> now = new AtomicReference<>(new AccuracyLedger.Accuracy(null, null, 2,
        List.of(new AccuracyLedger.Row("chat", "*", 2, 1, 1, 0, 0, 0.5, 600_000L, 42L, null))));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (AccuracyMetrics m = new AccuracyMetrics(now::get, Duration.ofHours(1))) {
      m.bindTo(registry);
      m.refresh();
      assertEquals(1.0, registry.get("ripcord_accuracy_false_rollbacks").tags("policy", "chat", "criterion", "*")
          .gauge().value());
      assertEquals(600.0, registry.get("ripcord_accuracy_time_to_detect_seconds").tags("policy", "chat").gauge()
          .value());
      assertEquals(42.0, registry.get("ripcord_accuracy_bad_outputs").gauge().value());
      now.set(new AccuracyLedger.Accuracy(null, null, 3, List.of(new AccuracyLedger.Row("chat", "*", 3, 1, 2, 0, 0,
          0.67, null, null, null))));
      m.refresh();
      assertEquals(2.0, registry.get("ripcord_accuracy_false_rollbacks").gauge().value());
      assertNull(registry.find("ripcord_accuracy_bad_outputs").tags("policy", "chat").gauge(), "no longer known");
    }
  }
}
