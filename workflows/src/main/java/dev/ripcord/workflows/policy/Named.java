package dev.ripcord.workflows.policy;

import java.util.Arrays;
import java.util.List;

/**
 * An enumerated policy value and the text a policy writes for it. Policies keep the text (so a value this version
 * does not know is read, and reported as a problem with a suggestion, never thrown, and histories of older releases
 * read unchanged); code reads the enum through the records' typed accessors.
 */
public interface Named {
  /** The text a policy writes, e.g. {@code rollback-after-approval}. */
  String text();

  /** The constant {@code text} names, or null for text this version does not know (or null). */
  static <E extends Enum<E> & Named> E of(Class<E> type, String text) {
    if (text == null) {
      return null;
    }
    for (E e : type.getEnumConstants()) {
      if (e.text().equals(text)) {
        return e;
      }
    }
    return null;
  }

  /** Every text of {@code type}, in declaration order: what the validator offers. */
  static <E extends Enum<E> & Named> List<String> texts(Class<E> type) {
    return Arrays.stream(type.getEnumConstants()).map(Named::text).toList();
  }
}
