package dev.ripcord.workflows.release.state;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * People's answer (approve, reject, hold) to the decision the release waits for, not yet acted on, and who gave it.
 * {@code Decisions} records it, {@code Asking} settles and clears it. Carried inside {@code Progress} under the names
 * older runs wrote ({@code answer}, {@code answerBy}).
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Answer {
  private String answer;
  private String answerBy;

  /** The answer, or null. */
  public String given() {
    return answer;
  }

  public String by() {
    return answerBy;
  }

  public void give(String answer, String by) {
    this.answer = answer;
    this.answerBy = by;
  }

  public void clear() {
    give(null, null);
  }
}
