package dev.ripcord.workflows;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The workflows module is deterministic code: what replays must not read the clock, randomness or the machine's
 * locale. A text rule over the sources, so a slip fails the build where replay would only show it later.
 */
class WorkflowSourceRulesTest {
  private static final List<Pattern> FORBIDDEN = List.of(
      Pattern.compile("Instant\\.now\\(|System\\.currentTimeMillis\\(|System\\.nanoTime\\(|LocalDate(Time)?\\.now\\("),
      Pattern.compile("new Random\\(|Math\\.random\\(|UUID\\.randomUUID\\("),
      Pattern.compile("Thread\\.sleep\\(|new Thread\\("),
      // Without Locale.ROOT, "%.2f" writes "1,50" on a German worker: different audit text for the same history.
      Pattern.compile("String\\.format\\(\"|\\.formatted\\("));

  @Test
  void workflowCodeReadsNoClockRandomnessOrLocale() throws Exception {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        List<String> lines = Files.readAllLines(f);
        for (int i = 0; i < lines.size(); i++) {
          for (Pattern p : FORBIDDEN) {
            if (p.matcher(lines.get(i)).find()) {
              found.add(f + ":" + (i + 1) + ": " + lines.get(i).strip());
            }
          }
        }
      }
    }
    assertTrue(found.isEmpty(), "use Workflow.currentTimeMillis(), Workflow.newRandom(), Workflow.sleep() and"
        + " String.format(Locale.ROOT, ...) in workflow code:\n" + String.join("\n", found));
  }

  /**
   * {@code Map.of} and {@code Set.of} with more than one entry iterate in an order salted per JVM: two workers (or a
   * replay) would write facts, messages or commands in different orders. Workflow code uses an ordered collection
   * ({@code List.of}, a {@code LinkedHashMap}, a {@code TreeMap}); only a metric's tags ({@code count(...)},
   * {@code tagged(...)}), whose order nobody sees, may stay unordered.
   */
  @Test
  void workflowCodeBuildsNoUnorderedCollectionOfSeveralEntries() throws Exception {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(Path.of("src/main/java"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).toList()) {
        unorderedCollections(Files.readString(f)).forEach(line -> found.add(f + ":" + line));
      }
    }
    assertTrue(found.isEmpty(), "several entries in Map.of/Set.of iterate in a per-JVM order; use List.of, a"
        + " LinkedHashMap or a TreeMap in workflow code:\n" + String.join("\n", found));
  }

  @Test
  void theUnorderedCollectionRuleCatchesWhatItMustAndOnlyThat() {
    assertEquals(List.of(2), unorderedCollections("class A {\n  Map<String, String> m = Map.of(\"a\", f(1, 2),\n"
        + "      \"b\", \"x,y\");\n}"));
    assertEquals(List.of(1), unorderedCollections("Set<String> s = Set.of(\"a\", \"b\");"));
    assertEquals(List.of(), unorderedCollections("Map<String, String> m = Map.of(\"a\", g(\"(\", 2));"
        + " Set<String> s = Set.of(\"only\");"));
    assertEquals(List.of(), unorderedCollections("log.count(\"ripcord_x\", Map.of(\"a\", a, \"b\", b));"
        + " scope.tagged(Map.of(\"a\", a, \"b\", b));"));
  }

  /** The lines (1-based) where {@code source} builds a Map.of or Set.of of several entries outside metric tags. */
  static List<Integer> unorderedCollections(String source) {
    List<Integer> lines = new ArrayList<>();
    var m = Pattern.compile("\\b(Map|Set)\\.of\\(").matcher(source);
    while (m.find()) {
      int args = topLevelArguments(source, m.end() - 1);
      boolean several = m.group(1).equals("Map") ? args >= 4 : args >= 2;
      String before = source.substring(Math.max(0, m.start() - 60), m.start());
      boolean metricTags = Pattern.compile("(count\\(\"[^\"]*\",|tagged\\()\\s*$").matcher(before).find();
      if (several && !metricTags) {
        lines.add((int) source.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 1);
      }
    }
    return lines;
  }

  /** How many arguments the call whose '(' is at {@code open} has, skipping strings and nested brackets. */
  private static int topLevelArguments(String s, int open) {
    int depth = 0;
    int args = 0;
    boolean any = false;
    for (int i = open; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        for (i++; i < s.length() && s.charAt(i) != '"'; i++) {
          i += s.charAt(i) == '\\' ? 1 : 0;
        }
        any = true;
      } else if (c == '(' || c == '[' || c == '{') {
        depth++;
      } else if (c == ')' || c == ']' || c == '}') {
        if (--depth == 0) {
          return any ? args + 1 : 0;
        }
      } else if (c == ',' && depth == 1) {
        args++;
      } else if (depth >= 1 && !Character.isWhitespace(c)) {
        any = true;
      }
    }
    return args;
  }
}
