package dev.ripcord.activities.evidence.view;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * Everything the release page draws, assembled from a release's history ({@link EvidenceAssembly}): who released
 * what and where it stands, every window the engine judged, each criterion's statistic against its threshold with the
 * arms' estimates beneath, and what people and the release did, all on one time axis. Plain data; the page
 * ({@link EvidencePage}) and {@code ripcord review --output json} print the same.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseEvidence(Header header, List<Window> windows, List<Criterion> criteria, List<WeightPoint> weights,
    List<Event> events) {

  /**
   * Who released what, and where the release stands; {@code builds}: the worker builds that ran it (Worker
   * Versioning), {@code unversioned} for workers without.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Header(String releaseId, String model, String candidate, String baseline, String bundle,
      String releasedBy, String state, String stage, Integer weight, String policyHash, String arithmetic, int runs,
      String started, List<String> builds) {}

  /**
   * One evaluation window: its number (counted across runs), run, when it began (where the source says) and ended,
   * stage, planned weight and verdict.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Window(int window, int run, String from, String t, String stage, Integer plannedWeight,
      String verdict, String explanation) {}

  /**
   * One criterion over the release: each window's status ({@code OK}, {@code PENDING}, {@code FIRED},
   * {@code INCONCLUSIVE}, in {@code statuses}, aligned with the release's windows) and each leaf's series.
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Criterion(String name, String action, String severity, Integer firedWindow, String firedAt,
      List<String> statuses, List<Series> leaves) {}

  /** One leaf of a criterion: what it compares ({@code statistic}, {@code op}) and one point per window it judged. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Series(String path, String signal, String statistic, String op, List<Point> points) {}

  /**
   * One window of one leaf: the statistic and threshold as the engine computed them, and each arm's estimate with its
   * 95 % interval where the window's counts give one (a rate's Wilson interval; none otherwise).
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Point(int window, String t, String status, Double value, Double threshold, Double candidate,
      Double candidateLow, Double candidateHigh, Double baseline, Double baselineLow, Double baselineHigh) {}

  /** The candidate's weight from a moment on: as planned by the stage, or as the router confirmed it. */
  public record WeightPoint(String t, int weight, String source) {}

  /** Something the release or a person did (the audit log), placed on the same time axis. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Event(String t, String kind, String actor, String text) {}
}
