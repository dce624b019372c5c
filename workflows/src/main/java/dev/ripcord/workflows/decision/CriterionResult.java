package dev.ripcord.workflows.decision;

import com.fasterxml.jackson.annotation.JsonInclude;

/** One criterion's outcome in one window, with the numbers behind it. */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record CriterionResult(String criterion, Status status, String action, String severity, String explanation) {

  public enum Status {
    /** Within limits. */
    OK,
    /** Breached in this window but not yet sustained long enough to fire. */
    PENDING,
    /** Breach sustained: the criterion's action applies. */
    FIRED,
    /** Not enough data to tell; never counted as healthy. */
    INCONCLUSIVE
  }
}
