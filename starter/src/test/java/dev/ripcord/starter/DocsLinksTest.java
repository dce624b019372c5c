package dev.ripcord.starter;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every relative link in the README, docs/ and the benchmark READMEs leads to a file, and to a heading there. */
class DocsLinksTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern LINK = Pattern.compile("\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

  @Test
  void everyRelativeLinkResolves() throws Exception {
    List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md"), ROOT.resolve("bench/README.md"),
        ROOT.resolve("bench/detection/README.md")));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).forEach(pages::add);
    }
    List<String> broken = new ArrayList<>();
    for (Path page : pages) {
      String text = Files.readString(page).replaceAll("(?s)```.*?```", "");
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        String url = m.group(1);
        if (url.matches("^[a-z]+:.*")) {
          continue;
        }
        String file = url.contains("#") ? url.substring(0, url.indexOf('#')) : url;
        String anchor = url.contains("#") ? url.substring(url.indexOf('#') + 1) : null;
        Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(target)) {
          broken.add(page + ": " + url + " (no such file)");
        } else if (anchor != null && Files.isRegularFile(target) && !anchors(target).contains(anchor)) {
          broken.add(page + ": " + url + " (no such heading)");
        }
      }
    }
    assertTrue(pages.size() >= 12, pages.toString());
    assertTrue(broken.isEmpty(), String.join("\n", broken));
  }

  /** GitHub's heading anchors: lower case, punctuation dropped, spaces as hyphens. */
  private static Set<String> anchors(Path page) throws Exception {
    Set<String> out = new HashSet<>();
    for (String line : Files.readString(page).replaceAll("(?s)```.*?```", "").lines().toList()) {
      if (line.startsWith("#")) {
        out.add(line.replaceFirst("^#+\\s*", "").toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N}\\- _]", "")
            .replace(' ', '-'));
      }
    }
    return out;
  }
}
