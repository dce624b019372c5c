package dev.ripcord.workflows.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * One criterion's outcome in one window, with the numbers behind it: in words ({@code explanation}) and as each leaf's
 * statistic against its threshold ({@code measures}; absent in windows recorded before they were kept, and for an
 * inconclusive leaf).
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record CriterionResult(String criterion, Status status, String action, String severity, String explanation,
    List<Measure> measures) {

  public CriterionResult(String criterion, Status status, String action, String severity, String explanation) {
    this(criterion, status, action, severity, explanation, null);
  }

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
