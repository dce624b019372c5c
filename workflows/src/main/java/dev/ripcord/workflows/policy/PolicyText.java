package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * Checks of a policy's text that its parsed form cannot show: a raw control character (which YAML and JSON parsers
 * report at the document's start, not where it is) and a name written as a number or a boolean (which the parser
 * would quietly turn into text). Pure.
 */
final class PolicyText {
  private static final List<String> NAMED_LISTS = List.of("stages", "signals", "criteria");

  private PolicyText() {}

  /** The first raw control character (other than tab, line feed and carriage return) with its line and column. */
  static PolicyProblem controlCharacter(String text) {
    int line = 1;
    int column = 1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        line++;
        column = 1;
        continue;
      }
      if (c < 0x20 && c != '\t' && c != '\r') {
        String what = (c == 0 ? "a NUL character" : "a control character")
            + String.format(java.util.Locale.ROOT, " (U+%04X)", (int) c);
        return new PolicyProblem("$", what + " in the text: neither YAML nor JSON takes raw control characters",
            "delete it; inside a double-quoted string write an escape such as \\u0007 if you really mean one")
            .at(line, column);
      }
      column++;
    }
    return null;
  }

  /** Names of stages, signals and criteria written as a number or a boolean ({@code name: 5}), not as text. */
  static List<PolicyProblem> namesNotText(JsonNode root) {
    List<PolicyProblem> out = new ArrayList<>();
    if (root == null || !root.isObject()) {
      return out;
    }
    for (String list : NAMED_LISTS) {
      JsonNode items = root.get(list);
      for (int i = 0; items != null && items.isArray() && i < items.size(); i++) {
        JsonNode name = items.get(i).get("name");
        if (name != null && (name.isNumber() || name.isBoolean())) {
          out.add(new PolicyProblem("$." + list + "[" + i + "].name", "is a " + (name.isNumber() ? "number" : "boolean")
              + ", not text", "quote it (name: \"" + name.asText() + "\"), or better, give it a word: names are typed"
              + " in the Temporal UI and on the command line"));
        }
      }
    }
    return out;
  }
}
