package dev.ripcord.workflows.policy;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The one collector every section of the validator reports into: each problem with its JSON path, what is wrong and
 * how to fix it, plus the checks every section uses (required, one of, a duration, a URL). Pure.
 */
final class Problems {
  private final List<PolicyProblem> problems = new ArrayList<>();

  void add(PolicyProblem p) {
    problems.add(p);
  }

  List<PolicyProblem> list() {
    return List.copyOf(problems);
  }

  void problem(String path, String message, String hint) {
    problems.add(new PolicyProblem(path, message, hint));
  }

  boolean required(String path, Object value, String hint) {
    if (value == null || (value instanceof String s && s.isBlank())) {
      problem(path, "is required", hint);
      return false;
    }
    return true;
  }

  /** {@code value} must be one of {@code allowed}; a near miss is named as the likely meaning. */
  void oneOf(String path, String value, List<String> allowed) {
    if (value != null && !allowed.contains(value)) {
      String near = Suggestions.nearest(value, allowed);
      problem(path, "'" + value + "' is not one of " + allowed, near != null ? "did you mean '" + near + "'?"
          : "use one of " + String.join(", ", allowed));
    }
  }

  Duration duration(String path, String value, boolean required, Duration min) {
    if (value == null) {
      if (required) {
        problem(path, "is required", "write a duration such as 30s, 10m, 2h or 1d");
      }
      return null;
    }
    Duration d = Durations.parseOrNull(value);
    if (d == null) {
      problem(path, "'" + value + "' is not a duration", "write e.g. 30s, 10m, 2h, 1d or PT10M");
    } else if (d.compareTo(min) < 0) {
      problem(path, "'" + value + "' is shorter than " + Durations.format(min), "use at least " + Durations.format(min));
    }
    return d;
  }

  void url(String path, String value) {
    try {
      URI u = URI.create(value);
      if (!("http".equals(u.getScheme()) || "https".equals(u.getScheme())) || u.getHost() == null) {
        problem(path, "'" + value + "' is not an http(s) URL", "write e.g. https://gateway.internal:8443");
      }
    } catch (IllegalArgumentException e) {
      problem(path, "'" + value + "' is not a URL: " + e.getMessage(), "write e.g. https://gateway.internal:8443");
    }
  }
}
