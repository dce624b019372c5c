package dev.ripcord.workflows.testing;


import dev.ripcord.workflows.activity.RouterActivities;
import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.RouterSpec;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The outside world's router, in memory: honours idempotency keys like a real gateway, records every call and every
 * effective change, and can be told to fail.
 */
public final class FakeRouter implements RouterActivities {
  private final Map<String, Integer> appliedKeys = new HashMap<>();
  private final List<WeightCommand> calls = new ArrayList<>();
  private final List<WeightCommand> effective = new ArrayList<>();
  private final AtomicInteger failNext = new AtomicInteger();
  private final AtomicInteger loseAnswerOfNext = new AtomicInteger();
  private int weight;
  private Integer rejected;

  /** The next {@code n} calls fail as if the router were down (retryable). */
  public FakeRouter failNext(int n) {
    failNext.set(n);
    return this;
  }

  /** Every change to {@code to} % is refused outright (non-retryable), as a router refuses an unknown route. */
  public synchronized FakeRouter reject(int to) {
    rejected = to;
    return this;
  }

  /** The next {@code n} changes are applied but the answer is lost, so the activity retries the same key. */
  public FakeRouter loseAnswerOfNext(int n) {
    loseAnswerOfNext.set(n);
    return this;
  }

  /** A change held inside its router call: {@code reached} when the call is in, {@code release} lets it go on. */
  public record Hold(int to, java.util.concurrent.CountDownLatch reached, java.util.concurrent.CountDownLatch release) {
    public void awaitReached() throws InterruptedException {
      if (!reached.await(30, java.util.concurrent.TimeUnit.SECONDS)) {
        throw new AssertionError("no router call to " + to + " % within 30 s");
      }
    }
  }

  private volatile Hold hold;

  /**
   * The first change to {@code to} % waits inside its activity until released, in real time (a test server does not
   * skip time while an activity runs): what people send meanwhile lands while the release is busy.
   */
  public Hold holdChangeTo(int to) {
    hold = new Hold(to, new java.util.concurrent.CountDownLatch(1), new java.util.concurrent.CountDownLatch(1));
    return hold;
  }

  @Override
  public WeightChange setWeight(WeightCommand c) {
    Hold h = hold;
    if (h != null && h.to() == c.to()) {
      hold = null;
      h.reached().countDown();
      try {
        h.release().await(30, java.util.concurrent.TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
    return apply(c);
  }

  private synchronized WeightChange apply(WeightCommand c) {
    calls.add(c);
    if (rejected != null && rejected == c.to()) {
      throw ApplicationFailure.newNonRetryableFailure("route 'chat' has no version 'v2' (test)",
          RouterFailures.REJECTED);
    }
    if (failNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
      throw ApplicationFailure.newFailure("router down (test)", RouterFailures.UNAVAILABLE);
    }
    boolean applied = !appliedKeys.containsKey(c.idempotencyKey());
    if (applied) {
      appliedKeys.put(c.idempotencyKey(), c.to());
      effective.add(c);
      weight = c.to();
      if (loseAnswerOfNext.getAndUpdate(n -> n > 0 ? n - 1 : 0) > 0) {
        throw ApplicationFailure.newFailure("answer lost (test)", RouterFailures.UNAVAILABLE);
      }
    }
    return new WeightChange(c.from(), c.to(), c.idempotencyKey(), applied, c.reason());
  }

  @Override
  public synchronized int readWeight(RouterSpec router, String candidate) {
    if (failNext.get() > 0) {
      failNext.decrementAndGet();
      throw ApplicationFailure.newFailure("router down (test)", RouterFailures.UNAVAILABLE);
    }
    return weight;
  }

  public synchronized List<WeightCommand> calls() {
    return List.copyOf(calls);
  }

  /** The weights the router actually moved to, in order. */
  public synchronized List<Integer> effectiveWeights() {
    return effective.stream().map(WeightCommand::to).toList();
  }

  public synchronized int weight() {
    return weight;
  }
}
