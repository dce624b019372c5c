package dev.ripcord.workflows.testing;

import com.uber.m3.tally.Buckets;
import com.uber.m3.tally.Capabilities;
import com.uber.m3.tally.CapableOf;
import com.uber.m3.tally.StatsReporter;
import com.uber.m3.util.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/** Keeps every counter increment the workflows report through Temporal's metrics scope, for tests to sum. */
public final class CountingReporter implements StatsReporter {
  /** One reported increment: the counter, its tags, by how much. */
  public record Count(String name, Map<String, String> tags, long delta) {}

  private final List<Count> counts = new CopyOnWriteArrayList<>();

  /** The sum of {@code name}'s increments whose tags include every one of {@code tags}. */
  public long sum(String name, Map<String, String> tags) {
    return counts.stream().filter(c -> c.name().equals(name) && c.tags().entrySet().containsAll(tags.entrySet()))
        .mapToLong(Count::delta).sum();
  }

  public List<Count> counts() {
    return List.copyOf(counts);
  }

  @Override
  public void reportCounter(String name, Map<String, String> tags, long value) {
    counts.add(new Count(name, Map.copyOf(tags), value));
  }

  @Override
  public void reportGauge(String name, Map<String, String> tags, double value) {}

  @Override
  public void reportTimer(String name, Map<String, String> tags, Duration interval) {}

  @Override
  public void reportHistogramValueSamples(String name, Map<String, String> tags, Buckets buckets,
      double bucketLowerBound, double bucketUpperBound, long samples) {}

  @Override
  public void reportHistogramDurationSamples(String name, Map<String, String> tags, Buckets buckets,
      Duration bucketLowerBound, Duration bucketUpperBound, long samples) {}

  @Override
  public Capabilities capabilities() {
    return CapableOf.REPORTING;
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
