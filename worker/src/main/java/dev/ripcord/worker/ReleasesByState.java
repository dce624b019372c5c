package dev.ripcord.worker;

import dev.ripcord.workflows.release.ReleaseSearchAttributes;
import dev.ripcord.workflows.release.ReleaseState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.ToLongFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code ripcord_releases{state}} counted from Temporal's visibility ({@code RipcordState} search attribute), so every
 * worker reports the namespace's releases, right across workers and restarts (aggregate with {@code max}). A state a
 * release is still in counts running workflows; a final state counts completed ones within the namespace's retention.
 * Refreshed every {@code refresh}. A server that cannot count (Temporal's Java test server) leaves this worker's own
 * transition counters ({@code ripcord_state_entered_total} minus {@code ripcord_state_left_total}) in their place.
 */
public final class ReleasesByState implements MeterBinder, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ReleasesByState.class);
  private final ToLongFunction<String> count;
  private final Duration refresh;
  private final Map<ReleaseState, Double> counts = new EnumMap<>(ReleaseState.class);
  private volatile boolean visible;
  private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "ripcord-releases-by-state");
    t.setDaemon(true);
    return t;
  });

  /** @param count the number of workflows a visibility query matches */
  public ReleasesByState(ToLongFunction<String> count, Duration refresh) {
    this.count = count;
    this.refresh = refresh;
    for (ReleaseState s : ReleaseState.values()) {
      counts.put(s, 0.0);
    }
  }

  /** The visibility query for releases in {@code s}. */
  static String query(ReleaseState s) {
    boolean done = s.isFinal();
    return "WorkflowType = 'Release' AND " + ReleaseSearchAttributes.STATE.getName() + " = '" + s.name()
        + "' AND ExecutionStatus = '" + (done ? "Completed" : "Running") + "'";
  }

  @Override
  public void bindTo(MeterRegistry registry) {
    for (ReleaseState s : ReleaseState.values()) {
      Gauge.builder("ripcord_releases", counts, c -> visible ? c.get(s) : transitions(registry, s))
          .tag("state", s.name())
          .description("Releases in this state in the namespace, from Temporal's visibility")
          .register(registry);
    }
    timer.scheduleWithFixedDelay(this::refresh, 0, refresh.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Counts every state once; any failure falls back to the transition counters until a refresh succeeds. */
  public void refresh() {
    try {
      Map<ReleaseState, Double> now = new EnumMap<>(ReleaseState.class);
      for (ReleaseState s : ReleaseState.values()) {
        now.put(s, (double) count.applyAsLong(query(s)));
      }
      counts.putAll(now);
      visible = true;
    } catch (RuntimeException e) {
      if (visible) {
        log.info("releases not counted from visibility ({}); showing this worker's transition counters", e.toString());
      }
      visible = false;
    }
  }

  /** Whether the last refresh counted from visibility. */
  public boolean visible() {
    return visible;
  }

  private static double transitions(MeterRegistry r, ReleaseState s) {
    return sum(r, "ripcord_state_entered", s) - sum(r, "ripcord_state_left", s);
  }

  private static double sum(MeterRegistry r, String name, ReleaseState s) {
    return r.find(name).tag("state", s.name()).counters().stream().mapToDouble(c -> c.count()).sum();
  }

  @Override
  public void close() {
    timer.shutdownNow();
  }
}
