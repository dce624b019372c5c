package dev.ripcord.bench.live;

import dev.ripcord.integration.Cli;
import dev.ripcord.integration.Components;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Histories per second replayed by {@code ripcord replay} (the shipped CLI jar, its own JVM) over a corpus of 1,000
 * exported histories: the stored exports under workflows/src/test/resources/histories, real dev-server exports
 * among them, copied to 1,000 files. JVM start-up is taken out by also timing a run over 10 of them; the baseline in
 * the same run is reading and parsing the same files without replaying them.
 */
public final class ReplayThroughputBenchmark {
  public static void main(String[] args) throws Exception {
    int n = Results.intArg(args, "--histories", 1000);
    Path source = Components.root().resolve("workflows/src/test/resources/histories");
    List<Path> stored;
    try (Stream<Path> files = Files.list(source)) {
      stored = files.filter(p -> p.toString().endsWith(".json")).sorted().toList();
    }
    Path corpus = Files.createTempDirectory("ripcord-replay-corpus");
    List<String> all = new ArrayList<>();
    long events = 0;
    for (int i = 0; i < n; i++) {
      Path from = stored.get(i % stored.size());
      Path to = corpus.resolve(String.format("%04d-%s", i, from.getFileName()));
      Files.copy(from, to);
      all.add(to.toString());
    }

    long p0 = System.nanoTime();
    for (String f : all) {
      events += WorkflowExecutionHistory.fromJson(Files.readString(Path.of(f))).getEvents().size();
    }
    double parseSeconds = (System.nanoTime() - p0) / 1e9;

    double small = timeReplay(all.subList(0, 10));
    double full = timeReplay(all);
    double replayPerSecond = (n - 10) / (full - small);
    double parsePerSecond = n / parseSeconds;

    Map<String, Object> figures = new LinkedHashMap<>();
    figures.put("benchmark", "replay-throughput");
    figures.put("at", Instant.now().toString());
    figures.put("machine", Runtime.getRuntime().availableProcessors() + " cores");
    figures.put("histories", n);
    figures.put("distinctHistories", stored.size());
    figures.put("events", events);
    figures.put("replaySecondsFor10", Results.round(small));
    figures.put("replaySecondsForAll", Results.round(full));
    figures.put("historiesPerSecond", Results.round(replayPerSecond));
    figures.put("eventsPerSecond", Math.round(replayPerSecond * events / n));
    figures.put("parseOnlyHistoriesPerSecond", Results.round(parsePerSecond));
    figures.put("replayOverParseRatio", Results.round(replayPerSecond / parsePerSecond * 100) / 100.0);
    String summary = String.format("ripcord replay: %.0f histories/s (%d histories, %d events, JVM start-up taken "
            + "out), %.2fx the rate of only parsing them (%.0f/s)", replayPerSecond, n, events,
        replayPerSecond / parsePerSecond, parsePerSecond);
    Results.write("replay-throughput", figures, summary);
  }

  private static double timeReplay(List<String> files) {
    List<String> args = new ArrayList<>(List.of("replay", "--quiet"));
    args.addAll(files);
    long t0 = System.nanoTime();
    Cli.Run r = Cli.run(args.toArray(String[]::new));
    double s = (System.nanoTime() - t0) / 1e9;
    if (r.exit() != 0 || !r.output().contains(files.size() + " of " + files.size() + " histories replay clean")) {
      throw new IllegalStateException("replay failed (" + r.exit() + "): "
          + r.output().substring(Math.max(0, r.output().length() - 2000)));
    }
    return s;
  }
}
