package dev.ripcord.workflows.release;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * People's answer (approve, reject, hold) to the decision the release waits for, not yet acted on, and who gave it.
 * {@link Decisions} records it, {@link Asking} settles and clears it. Carried inside {@link Progress} under the names
 * older runs wrote ({@code answer}, {@code answerBy}).
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
final class Answer {
  private String answer;
  private String answerBy;

  /** The answer, or null. */
  String given() {
    return answer;
  }

  String by() {
    return answerBy;
  }

  void give(String answer, String by) {
    this.answer = answer;
    this.answerBy = by;
  }

  void clear() {
    give(null, null);
  }
}
