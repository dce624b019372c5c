package dev.ripcord.worker;

import dev.ripcord.workflows.ledger.AccuracyLedger;
import dev.ripcord.workflows.ledger.LedgerWorkflow;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The accuracy ledger as metrics, per policy and criterion, read from the ledger workflow's {@code accuracy} query
 * every {@code refresh} (every worker exports the same ledger, so aggregate with max, not sum).
 */
public final class AccuracyMetrics implements MeterBinder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AccuracyMetrics.class);
  private static final Map<String, Function<AccuracyLedger.Row, Number>> GAUGES = gauges();
  private final Supplier<AccuracyLedger.Accuracy> ledger;
  private final Duration refresh;
  private final Map<String, MultiGauge> registered = new LinkedHashMap<>();
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ripcord-accuracy-metrics");
    t.setDaemon(true);
    return t;
  });

  public AccuracyMetrics(Supplier<AccuracyLedger.Accuracy> ledger, Duration refresh) {
    this.ledger = ledger;
    this.refresh = refresh;
  }

  /** Reads the ledger workflow through {@code client}; no ledger yet means no rows. */
  public static Supplier<AccuracyLedger.Accuracy> from(Supplier<WorkflowClient> client) {
    return () -> {
      try {
        return client.get().newWorkflowStub(LedgerWorkflow.class, LedgerWorkflow.ID).accuracy(null, null);
      } catch (io.temporal.client.WorkflowNotFoundException e) {
        return new AccuracyLedger.Accuracy(null, null, 0, List.of());
      }
    };
  }

  private static Map<String, Function<AccuracyLedger.Row, Number>> gauges() {
    Map<String, Function<AccuracyLedger.Row, Number>> g = new LinkedHashMap<>();
    g.put("ripcord_accuracy_labelled", AccuracyLedger.Row::labelled);
    g.put("ripcord_accuracy_right_rollbacks", AccuracyLedger.Row::rightRollbacks);
    g.put("ripcord_accuracy_false_rollbacks", AccuracyLedger.Row::falseRollbacks);
    g.put("ripcord_accuracy_missed_incidents", AccuracyLedger.Row::missedIncidents);
    g.put("ripcord_accuracy_incidents_prevented", AccuracyLedger.Row::incidentsPrevented);
    g.put("ripcord_accuracy_time_to_detect_seconds",
        r -> r.meanTimeToDetectMillis() == null ? null : r.meanTimeToDetectMillis() / 1000.0);
    g.put("ripcord_accuracy_bad_outputs", AccuracyLedger.Row::badOutputs);
    return g;
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    GAUGES.keySet().forEach(name -> registered.put(name, MultiGauge.builder(name)
        .description("accuracy ledger, per policy and criterion (see ripcord accuracy)").register(registry)));
    timer.scheduleWithFixedDelay(this::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads the ledger once and replaces every row. */
  public void refresh() {
    try {
      AccuracyLedger.Accuracy a = ledger.get();
      GAUGES.forEach((name, value) -> {
        List<MultiGauge.Row<?>> rows = new ArrayList<>();
        for (AccuracyLedger.Row r : a.rows()) {
          Number v = value.apply(r);
          if (v != null) {
            rows.add(MultiGauge.Row.of(Tags.of("policy", r.policy(), "criterion", r.criterion()), v));
          }
        }
        registered.get(name).register(rows, true);
      });
    } catch (RuntimeException e) {
      log.debug("accuracy ledger not read: {}", e.toString()); // the server may be down; the next refresh retries
    }
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
