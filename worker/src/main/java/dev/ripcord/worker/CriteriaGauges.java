package dev.ripcord.worker;

import dev.ripcord.workflows.decision.CriterionResult;
import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.WindowVerdict;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.binder.MeterBinder;
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
 * Each running release's criteria against their thresholds, for the dashboard's per-release panel:
 * {@code ripcord_criterion_statistic} and {@code ripcord_criterion_threshold}, tagged {@code release},
 * {@code criterion}, {@code leaf}, {@code signal} and {@code statistic}, each criterion from the last window that
 * measured it (the release's {@code decisions} query; a window closed with nothing pushed carries no numbers and is
 * passed over). Bounded: running releases only (at most {@link #MAX_RELEASES}, from Temporal's visibility); a
 * release's series go at the first refresh after it ends. Every worker reports the namespace's releases, so aggregate
 * with {@code max}. A server without visibility (the embedded test server) reports none.
 */
public final class CriteriaGauges implements MeterBinder, AutoCloseable {
  public static final int MAX_RELEASES = 100;
  private static final Logger log = LoggerFactory.getLogger(CriteriaGauges.class);
  private final Supplier<List<String>> running;
  private final Function<String, List<WindowVerdict>> decisions;
  private final Duration refresh;
  private MultiGauge statistic;
  private MultiGauge threshold;
  private volatile String lastError;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ripcord-criteria-gauges");
    t.setDaemon(true);
    return t;
  });

  /**
   * @param running the ids of the running releases
   * @param decisions a release's judged windows (its {@code decisions} query), oldest first
   */
  public CriteriaGauges(Supplier<List<String>> running, Function<String, List<WindowVerdict>> decisions,
      Duration refresh) {
    this.running = running;
    this.decisions = decisions;
    this.refresh = refresh;
  }

  /** The visibility query for the releases these gauges show. */
  public static String query() {
    return "WorkflowType = 'Release' AND ExecutionStatus = 'Running'";
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    statistic = MultiGauge.builder("ripcord_criterion_statistic")
        .description("A running release's criterion: its leaf's statistic in the last judged window")
        .register(registry);
    threshold = MultiGauge.builder("ripcord_criterion_threshold")
        .description("A running release's criterion: where its leaf's statistic breaches")
        .register(registry);
    // The first refresh after one period: a refresh re-registers every row, so two at once would race.
    timer.scheduleWithFixedDelay(this::refresh, refresh.toMillis(), refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Reads every running release's last window again; releases that ended drop out. */
  public synchronized void refresh() {
    try {
      List<MultiGauge.Row<?>> values = new ArrayList<>();
      List<MultiGauge.Row<?>> thresholds = new ArrayList<>();
      for (String id : running.get().stream().limit(MAX_RELEASES).toList()) {
        List<WindowVerdict> judged;
        try {
          judged = decisions.apply(id);
        } catch (RuntimeException e) {
          continue; // ended between the list and the query, or no worker took the query yet
        }
        if (judged == null) {
          continue;
        }
        for (CriterionResult r : lastMeasured(judged)) {
          for (Measure m : r.measures()) {
            Tags tags = Tags.of("release", id, "criterion", r.criterion(), "leaf", m.path(), "signal", m.signal(),
                "statistic", m.statistic());
            if (m.value() != null) {
              values.add(MultiGauge.Row.of(tags, m.value()));
            }
            if (m.threshold() != null) {
              thresholds.add(MultiGauge.Row.of(tags, m.threshold()));
            }
          }
        }
      }
      statistic.register(values, true);
      threshold.register(thresholds, true);
      lastError = null;
    } catch (RuntimeException e) {
      if (lastError == null) {
        log.info("criteria gauges not refreshed from visibility ({}); none shown until they can be", e.toString());
      }
      lastError = e.toString();
      statistic.register(List.of(), true);
      threshold.register(List.of(), true);
    }
  }

  /**
   * Each criterion's result from the last window that measured it: a window closed with nothing pushed (or one whose
   * signal had no data) carries no numbers, and must not blank the panel until the next push.
   */
  static List<CriterionResult> lastMeasured(List<WindowVerdict> judged) {
    Map<String, CriterionResult> latest = new LinkedHashMap<>();
    for (WindowVerdict w : judged) {
      for (CriterionResult r : w.results() == null ? List.<CriterionResult>of() : w.results()) {
        if (r.measures() != null && !r.measures().isEmpty()) {
          latest.put(r.criterion(), r);
        }
      }
    }
    return List.copyOf(latest.values());
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
