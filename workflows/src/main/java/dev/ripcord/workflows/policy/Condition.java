package dev.ripcord.workflows.policy;

import java.util.List;

/**
 * The one form a condition node takes ({@link ConditionSpec#form()}): a leaf on one signal, a composite of other
 * conditions, or malformed (no form, or several; the validator reports it and nothing else reads it). Code switches
 * on this instead of testing which of the spec's optional fields is set.
 */
public sealed interface Condition {

  /** A test on one signal: a limit, a baseline ratio, a confidence limit, a sequential test or a slice disparity. */
  record Leaf(ConditionSpec spec) implements Condition {}

  /** All of, any of, or at least {@code need} of {@code children}. */
  record Composite(Kind kind, List<ConditionSpec> children, int need) implements Condition {
    public enum Kind { ALL_OF, ANY_OF, AT_LEAST }

    /** The field the children are under: {@code allOf}, {@code anyOf} or {@code of}. */
    public String key() {
      return switch (kind) {
        case ALL_OF -> "allOf";
        case ANY_OF -> "anyOf";
        case AT_LEAST -> "of";
      };
    }

    /** How explanations name it: "all of", "any of", "at least 2 of". */
    public String label() {
      return switch (kind) {
        case ALL_OF -> "all of";
        case ANY_OF -> "any of";
        case AT_LEAST -> "at least " + need + " of";
      };
    }

    /** The path of child {@code i} under the composite at {@code path}. */
    public String childPath(String path, int i) {
      return path + "." + key() + "[" + i + "]";
    }
  }

  /** No form ({@code forms} 0) or several. */
  record Malformed(int forms) implements Condition {}
}
