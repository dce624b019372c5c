package dev.ripcord.bench.live;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Writes a benchmark's figures to bench/results/NAME.json and prints its one-line summary. */
final class Results {
  private Results() {}

  static void write(String name, Map<String, Object> figures, String summary) throws IOException {
    Path out = Path.of("bench/results/" + name + ".json");
    Files.createDirectories(out.getParent());
    figures.put("summaryLine", summary);
    new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValue(out.toFile(), figures);
    System.out.println(summary + " -> " + out);
  }

  /** The q-quantile (nearest rank) of the values. */
  static double quantile(List<Double> values, double q) {
    double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
    if (v.length == 0) {
      return Double.NaN;
    }
    int rank = (int) Math.ceil(q * v.length);
    return v[Math.max(0, Math.min(v.length - 1, rank - 1))];
  }

  static Map<String, Object> summary(List<Double> millis) {
    return Map.of("n", millis.size(), "p50Ms", round(quantile(millis, 0.5)), "p90Ms", round(quantile(millis, 0.9)),
        "p99Ms", round(quantile(millis, 0.99)), "maxMs", round(quantile(millis, 1.0)),
        "meanMs", round(millis.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN)));
  }

  /** How the benchmark tuned the dev server (the run scripts pass -Dripcord.devserver.args), for the results. */
  static String devServerArgs() {
    List<String> args = dev.ripcord.integration.DevServer.extraArgs();
    return args.isEmpty() ? "" : ", " + String.join(" ", args);
  }

  static double round(double d) {
    return Math.round(d * 10) / 10.0;
  }

  static int intArg(String[] args, String name, int dflt) {
    int i = Arrays.asList(args).indexOf(name);
    return i >= 0 && i + 1 < args.length ? Integer.parseInt(args[i + 1]) : dflt;
  }
}
