package dev.ripcord.workflows.release.state;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import java.util.List;

/**
 * What holds the release still: a person's pause, or Ripcord's own pause for an investigation (with the criteria
 * investigated and the weight it reduced exposure from). Carried inside {@code Progress} under the names older runs
 * wrote; changed only through these methods.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class Hold {
  /** Who paused the release ({@code ripcord} for an investigation), or null. */
  private String pausedBy;
  private String pauseReason;
  @JsonSetter(nulls = Nulls.SKIP) private List<String> investigating = List.of();
  /** The weight before an investigation reduced it; set back when the investigation continues the release. */
  private Integer weightBeforeInvestigation;

  /** Who holds it ({@code ripcord} for an investigation), or null. */
  public String by() {
    return pausedBy;
  }

  public String reason() {
    return pauseReason;
  }

  public boolean held() {
    return pausedBy != null;
  }

  public List<String> investigating() {
    return investigating;
  }

  public Integer weightBeforeInvestigation() {
    return weightBeforeInvestigation;
  }

  /** A person pauses it. */
  public void pause(String by, String reason) {
    pausedBy = by;
    pauseReason = reason;
  }

  /** A person resumes it (an investigation's criteria and weight stay until the investigation is settled). */
  public void resume() {
    pausedBy = null;
    pauseReason = null;
  }

  /** Ripcord pauses it to investigate {@code criteria}. */
  public void investigate(List<String> criteria, String reason) {
    investigating = criteria;
    pausedBy = "ripcord";
    pauseReason = reason;
  }

  /** An investigation reduces exposure from {@code weight}. */
  public void reducedFrom(int weight) {
    weightBeforeInvestigation = weight;
  }

  /** The investigation is settled: nothing holds the release; whether it had reduced exposure. */
  public boolean lift() {
    boolean reduced = weightBeforeInvestigation != null;
    resume();
    investigating = List.of();
    weightBeforeInvestigation = null;
    return reduced;
  }
}
