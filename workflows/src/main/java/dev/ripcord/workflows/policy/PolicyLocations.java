package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where each path of a policy's text is: the line and column of every key and list item, so a problem found on the
 * parsed policy points into the file the way a compiler's error does. A problem whose own path is not in the text
 * (a missing field) points at the nearest enclosing one that is. Pure.
 */
final class PolicyLocations {
  private final Map<String, JsonLocation> at = new HashMap<>();

  private PolicyLocations() {}

  /** The locations in {@code text}, read with {@code mapper}'s parser; as many as could be read before an error. */
  static PolicyLocations of(ObjectMapper mapper, String text) {
    PolicyLocations l = new PolicyLocations();
    try (JsonParser p = mapper.createParser(text)) {
      for (JsonToken t = p.nextToken(); t != null; t = p.nextToken()) {
        if (t == JsonToken.FIELD_NAME) {
          l.at.putIfAbsent(PolicyLoader.pathOf(p.getParsingContext()), p.currentTokenLocation());
        } else if (p.getParsingContext().inArray() || (t.isStructStart() && p.getParsingContext().getParent()
            != null && p.getParsingContext().getParent().inArray())) {
          String path = t.isStructStart() ? PolicyLoader.pathOf(p.getParsingContext().getParent())
              : PolicyLoader.pathOf(p.getParsingContext());
          l.at.putIfAbsent(path, p.currentTokenLocation());
        }
      }
    } catch (IOException | RuntimeException e) {
      // a syntax error: its own problem says where; the paths read before it keep their places
    }
    return l;
  }

  /** {@code problems}, each placed at its path (or the nearest enclosing path) in the text. */
  List<PolicyProblem> place(List<PolicyProblem> problems) {
    return problems.stream().map(this::place).toList();
  }

  private PolicyProblem place(PolicyProblem problem) {
    if (problem.line() != null || problem.path() == null) {
      return problem;
    }
    for (String path = problem.path(); !path.isEmpty() && !path.equals("$"); path = parent(path)) {
      JsonLocation loc = at.get(path);
      if (loc != null && loc.getLineNr() > 0) {
        return problem.at(loc.getLineNr(), loc.getColumnNr());
      }
    }
    return problem;
  }

  private static String parent(String path) {
    int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
    return cut <= 0 ? "$" : path.substring(0, cut);
  }
}
