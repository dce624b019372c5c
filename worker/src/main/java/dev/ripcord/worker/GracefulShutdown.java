package dev.ripcord.worker;

import io.temporal.worker.WorkerFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * On SIGTERM (a deploy, a scale-down), the worker stops taking tasks and lets the ones it is running finish (a router
 * call half-way through, an evaluation) for up to {@code ripcord.shutdown-grace} (30 s), before Spring closes the
 * Temporal client. Without it, the process ended with calls in flight, and another worker repeated them after their
 * timeout: harmless under idempotency keys, but slower and noisier than a clean hand-over.
 */
@Component
public class GracefulShutdown implements SmartLifecycle {
  private static final Logger log = LoggerFactory.getLogger(GracefulShutdown.class);
  private final WorkerFactory factory;
  private final Duration grace;
  private volatile boolean running = true;

  public GracefulShutdown(WorkerFactory factory, @Value("${ripcord.shutdown-grace:30s}") Duration grace) {
    this.factory = factory;
    this.grace = grace;
  }

  @Override
  public void start() {
    running = true;
  }

  @Override
  public void stop() {
    running = false;
    long started = System.nanoTime();
    log.info("shutting down: no new Temporal tasks; waiting up to {} for running ones to finish", grace);
    factory.shutdown();
    factory.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    if (factory.isTerminated()) {
      log.info("shut down cleanly after {} ms: every running task finished", took.toMillis());
    } else {
      log.warn("grace of {} over with tasks still running; Temporal retries them on another worker", grace);
    }
  }

  @Override
  public boolean isRunning() {
    return running;
  }

  /** Early in shutdown, before the web server and the Temporal client stop. */
  @Override
  public int getPhase() {
    return Integer.MAX_VALUE - 1;
  }
}
