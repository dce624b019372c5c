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
 * Every module's main sources: a Javadoc comment sits on what it describes. Two in a row means the first describes
 * nothing (a method moved or deleted under it), and the reader takes it for the second's.
 */
class SourceCommentsTest {
  private static final Pattern STACKED = Pattern.compile("\\*/[ \\t]*\\n[ \\t]*/\\*\\*");

  @Test
  void noJavadocCommentIsStackedOnAnother() throws Exception {
    List<String> found = new ArrayList<>();
    List<Path> sources = new ArrayList<>();
    try (Stream<Path> modules = Files.list(Path.of(".."))) {
      for (Path main : modules.map(m -> m.resolve("src/main/java")).filter(Files::isDirectory).toList()) {
        try (Stream<Path> files = Files.walk(main)) {
          files.filter(p -> p.toString().endsWith(".java")).forEach(sources::add);
        }
      }
    }
    assertTrue(sources.size() > 200, "every module's sources are read: " + sources.size());
    for (Path f : sources) {
      String text = Files.readString(f);
      var m = STACKED.matcher(text);
      while (m.find()) {
        found.add(f.normalize() + ":" + (text.substring(0, m.start()).chars().filter(c -> c == '\n').count() + 2));
      }
    }
    assertTrue(found.isEmpty(), "a Javadoc comment followed by another describes nothing; move it onto its"
        + " declaration or merge the two:\n" + String.join("\n", found));
  }
}
