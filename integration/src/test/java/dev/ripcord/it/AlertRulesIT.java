package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Components;
import io.temporal.worker.MetricsType;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The alert rules shipped under deploy/prometheus are valid for the real promtool, pass their unit tests, and watch
 * only series that exist: Ripcord's counters as the code registers them, Temporal's as the SDK names them.
 */
class AlertRulesIT {
  private static final Path RULES = Components.root().resolve("deploy/prometheus");

  private static String promtool(String... args) throws Exception {
    List<String> cmd = new ArrayList<>(List.of(Components.promtool().toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(RULES.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), String.join(" ", cmd) + ":\n" + out);
    return out;
  }

  @Test
  void theRulesAreValidAndPassTheirUnitTests() throws Exception {
    long alerts = Files.readString(RULES.resolve("ripcord-rules.yaml")).lines()
        .filter(l -> l.trim().startsWith("- alert:")).count();
    String checked = promtool("check", "rules", "ripcord-rules.yaml");
    assertTrue(alerts >= 7 && checked.contains("SUCCESS: " + alerts + " rules found"), alerts + " alerts: " + checked);
    assertTrue(promtool("test", "rules", "ripcord-rules.test.yaml").contains("SUCCESS"));
  }

  @Test
  void everySeriesTheRulesWatchIsExported() throws Exception {
    Set<String> named = new TreeSet<>();
    Matcher m = Pattern.compile("\\b((?:ripcord|temporal)_[a-z_]+)\\b").matcher(Files.readString(
        RULES.resolve("ripcord-rules.yaml")).replaceAll("(?m)#.*$", ""));
    while (m.find()) {
      named.add(m.group(1));
    }
    assertTrue(named.size() >= 6, named.toString());
    Set<String> sdk = new TreeSet<>();
    for (Field f : MetricsType.class.getFields()) {
      if (Modifier.isStatic(f.getModifiers()) && f.getType() == String.class) {
        sdk.add((String) f.get(null));
      }
    }
    String code = sources(Components.root().resolve("workflows/src/main"))
        + sources(Components.root().resolve("worker/src/main"));
    List<String> unknown = new ArrayList<>();
    for (String series : named) {
      String meter = series.replaceFirst("_total$", "");
      boolean known = series.startsWith("temporal_") ? sdk.contains(meter)
          : code.contains("\"" + meter + "\"");
      if (!known) {
        unknown.add(series);
      }
    }
    assertTrue(unknown.isEmpty(), "series no code exports: " + unknown);
  }

  private static String sources(Path dir) throws Exception {
    StringBuilder b = new StringBuilder();
    try (Stream<Path> files = Files.walk(dir)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        b.append(Files.readString(f));
      }
    }
    return b.toString();
  }
}
