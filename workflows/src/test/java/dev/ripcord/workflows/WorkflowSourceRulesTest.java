package dev.ripcord.workflows;

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
}
