package dev.ripcord.starter.review;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.activities.history.HistoryObservations;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.decision.Backtest;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observations;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.playbook.PlaybookStep;
import dev.ripcord.workflows.policy.Durations;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseReport;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The incident review a finished release's history yields: what happened when, how long it took to detect and to
 * mitigate, when each criterion first diverged (the release's own policy re-run over its recorded observations),
 * how long people took to decide, and, with a revised policy, when that one would have acted on the same windows.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record IncidentReview(
    String releaseId, String outcome, String policyHash, String started, String triggeredAt, String mitigatedAt,
    String timeToDetect, String timeToMitigate, Map<String, String> firstDiverged, List<String> approvals,
    List<String> playbook, List<String> timeline, Revised revised, List<String> recommendations, String breakGlass,
    List<String> bundle) {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** What a revised policy would have done on the same windows. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Revised(String policyHash, Integer firstActionWindow, String firstActionAt, String firstAction,
      List<String> criteria, String comparedWithOriginal) {}

  /** Reviews the runs of one release (oldest first; the last must have completed). */
  public static IncidentReview of(List<WorkflowExecutionHistory> runs, ReleasePolicy revised, String revisedHash)
      throws Exception {
    return of(runs, null, revised, revisedHash);
  }

  /**
   * The same with the release's report given ({@code report.json} of an evidence bundle, whose last run's history
   * ends as the bundle was written); null takes it from the last run's completion.
   */
  public static IncidentReview of(List<WorkflowExecutionHistory> runs, ReleaseReport given, ReleasePolicy revised,
      String revisedHash) throws Exception {
    WorkflowExecutionHistory first = runs.get(0);
    WorkflowExecutionHistory last = runs.get(runs.size() - 1);
    HistoryEvent end = last.getLastEvent();
    if (given == null && !end.hasWorkflowExecutionCompletedEventAttributes()) {
      throw new IllegalArgumentException("the release has not finished (last event " + end.getEventType()
          + "); review it once it has completed or rolled back");
    }
    JsonNode input = JSON.readTree(first.getEvents().get(0).getWorkflowExecutionStartedEventAttributes().getInput()
        .getPayloads(0).getData().toByteArray());
    ReleasePolicy policy = JSON.treeToValue(input.get("policy"), ReleasePolicy.class);
    ReleaseReport report = given != null ? given : JSON.readValue(end.getWorkflowExecutionCompletedEventAttributes()
        .getResult().getPayloads(0).getData().toByteArray(), ReleaseReport.class);
    Instant started = Instant.ofEpochSecond(first.getEvents().get(0).getEventTime().getSeconds());

    List<Observation> windows = new ArrayList<>();
    for (WorkflowExecutionHistory h : runs) {
      for (JsonNode o : HistoryObservations.of(h)) {
        Observations.Parsed p = Observations.parse(o, policy);
        if (p.ok()) {
          windows.add(p.observation());
        }
      }
    }
    Backtest.Result original = Backtest.run(policy, windows);
    Map<String, String> firstDiverged = new LinkedHashMap<>();
    String firstDivergenceAt = null;
    for (WindowVerdict d : original.decisions()) {
      if (firstDivergenceAt == null && d.t() != null && (!d.pending().isEmpty() || !d.fired().isEmpty())) {
        firstDivergenceAt = d.t();
      }
      List<String> diverging = new ArrayList<>(d.pending());
      diverging.addAll(d.fired());
      for (String c : diverging) {
        firstDiverged.putIfAbsent(c, "window " + d.window() + (d.t() == null ? "" : " (" + d.t() + ")") + ": "
            + d.results().stream().filter(r -> r.criterion().equals(c)).findFirst().map(r -> r.explanation())
                .orElse(""));
      }
    }

    List<String> approvals = new ArrayList<>();
    String askedAt = null;
    List<String> timeline = new ArrayList<>();
    for (AuditEntry e : report.audit()) {
      Instant at = Instant.parse(e.at());
      String rel = "+" + Durations.format(Duration.ofMillis(Math.max(0, Duration.between(started, at).toMillis())
          / 1000 * 1000));
      if (e.kind().equals("STATE") || e.kind().equals("TRIGGER") || e.kind().startsWith("APPROVAL")
          || e.kind().equals("REFUSED") || e.kind().startsWith("ACTION") || e.kind().equals("PLAYBOOK")
          || e.kind().equals("BREAK_GLASS")) {
        timeline.add(rel + " " + e.kind() + " " + (e.actor() == null ? "" : e.actor() + ": ") + e.message());
      }
      if (e.kind().equals("STATE") && e.message().contains("waiting for '")) {
        askedAt = e.at();
      }
      if ((e.kind().equals("APPROVAL") || e.kind().equals("REFUSED")) && e.actor() != null) {
        String latency = askedAt == null ? "" : " after " + Durations.format(Duration.ofMillis(Math.max(0,
            Duration.between(Instant.parse(askedAt), at).toMillis()) / 1000 * 1000));
        approvals.add(e.actor() + (e.role() == null ? "" : " (" + e.role() + ")") + ": " + e.message() + latency);
      }
    }

    List<String> playbook = new ArrayList<>();
    List<String> playbookNotes = new ArrayList<>();
    if (report.playbook() != null) {
      for (PlaybookStep p : report.playbook()) {
        StringBuilder line = new StringBuilder("**" + p.name() + "** (" + p.kind()
            + (p.owners() == null ? "" : ", owners " + p.owners()) + "): " + p.status());
        if (p.closedBy() != null) {
          line.append(" by ").append(p.closedBy());
        }
        if (p.closedAt() != null) {
          line.append(" at ").append(rel(started, p.closedAt()));
        }
        if (p.due() != null) {
          line.append(", due ").append(rel(started, p.due()));
          if (p.closedAt() != null && Instant.parse(p.closedAt()).isAfter(Instant.parse(p.due()))) {
            String late = Durations.format(Duration.ofMillis(Duration.between(Instant.parse(p.due()),
                Instant.parse(p.closedAt())).toMillis() / 1000 * 1000));
            line.append(" (").append(late).append(" late, escalated)");
            playbookNotes.add("playbook step '" + p.name() + "' was closed " + late + " after its deadline: check how "
                + p.owners() + " are paged, or whether the deadline is realistic");
          }
        }
        if (p.outcome() != null) {
          line.append(" — ").append(p.outcome());
        }
        if (p.status().equals("failed")) {
          playbookNotes.add("playbook step '" + p.name() + "' failed (" + p.outcome() + "): fix the service behind it"
              + " and rehearse with ripcord drill");
        }
        playbook.add(line.toString());
      }
    }

    String ttd = null;
    String ttm = null;
    if (report.triggeredAt() != null) {
      Instant from = firstDivergenceAt == null ? started : Instant.parse(firstDivergenceAt);
      long ms = Math.max(0, Duration.between(from, Instant.parse(report.triggeredAt())).toMillis());
      ttd = (ms < 1000 ? "0s" : Durations.format(Duration.ofMillis(ms / 1000 * 1000)))
          + (firstDivergenceAt == null ? " from the start" : " from the first divergence (" + firstDivergenceAt + ")");
    }
    if (report.timeToMitigateMillis() != null) {
      ttm = Durations.format(Duration.ofMillis(Math.max(1000, report.timeToMitigateMillis()) / 1000 * 1000));
    }

    Revised rev = null;
    if (revised != null) {
      Backtest.Summary s = Backtest.run(revised, windows).summary();
      Integer origWindow = original.summary().firstActionWindow();
      String compared = s.firstActionWindow() == null ? "would not have acted on these windows"
          : origWindow == null ? "where the original did not"
          : s.firstActionWindow() < origWindow ? (origWindow - s.firstActionWindow()) + " window(s) earlier than the original"
          : s.firstActionWindow() > origWindow ? (s.firstActionWindow() - origWindow) + " window(s) later than the original"
          : "in the same window as the original";
      rev = new Revised(revisedHash, s.firstActionWindow(), s.firstActionAt(), s.firstAction(),
          s.firstActionCriteria(), compared);
    }

    List<String> recommendations = new ArrayList<>();
    int inconclusive = original.summary().inconclusiveWindows();
    if (inconclusive > 0) {
      recommendations.add(inconclusive + " of " + windows.size() + " windows had inconclusive criteria: check the"
          + " signal sources behind them, or add minSamples that match the traffic");
    }
    if (report.timeToMitigateMillis() != null && report.timeToMitigateMillis() > Duration.ofMinutes(15).toMillis()) {
      recommendations.add("traffic took " + ttm + " to be restored: review the rollback steps' holds and the approval"
          + " deadline");
    }
    if (rev != null && rev.firstActionWindow() != null && original.summary().firstActionWindow() != null
        && rev.firstActionWindow() < original.summary().firstActionWindow()) {
      recommendations.add("adopt the revised policy: it acts " + rev.comparedWithOriginal());
    }
    recommendations.addAll(playbookNotes);
    if (report.triggeredAt() == null && "ROLLED_BACK".equals(report.state().name())) {
      recommendations.add("the rollback was not triggered by a criterion: consider one for what people saw");
    }
    return new IncidentReview(report.releaseId(), report.state().name(), report.policyHash(), started.toString(),
        report.triggeredAt(), report.mitigatedAt(), ttd, ttm, firstDiverged, approvals,
        report.playbook() == null ? null : playbook, timeline, rev, recommendations, report.breakGlass(),
        bundle(report));
  }

  /**
   * The release bundle as the audit recorded it: the parts of each run, and what each re-release changed against the
   * rolled-back bundle; null when the release had none.
   */
  private static List<String> bundle(ReleaseReport report) {
    List<String> out = report.audit().stream().filter(e -> e.kind().equals("STATE") && e.message().startsWith(
        "bundle ")).map(AuditEntry::message).toList();
    return out.isEmpty() ? null : out;
  }

  private static String rel(Instant started, String at) {
    return "+" + Durations.format(Duration.ofMillis(Math.max(0, Duration.between(started, Instant.parse(at)).toMillis())
        / 1000 * 1000));
  }

  public String markdown() {
    StringBuilder b = new StringBuilder();
    b.append("# Incident review: ").append(releaseId).append("\n\n");
    b.append("| | |\n|---|---|\n");
    b.append("| outcome | ").append(outcome).append(breakGlass == null ? "" : " (**break-glass**)").append(" |\n");
    if (breakGlass != null) {
      b.append("| break-glass | ").append(breakGlass)
          .append(": candidate to 0 % in one step, staged holds skipped |\n");
    }
    b.append("| policy | `").append(policyHash).append("` |\n");
    if (bundle != null) {
      bundle.forEach(x -> b.append("| release bundle | ").append(x.replace("|", "\\|")).append(" |\n"));
    }
    b.append("| started | ").append(started).append(" |\n");
    b.append("| triggered | ").append(triggeredAt == null ? "—" : triggeredAt).append(" |\n");
    b.append("| time to detect | ").append(timeToDetect == null ? "—" : timeToDetect).append(" |\n");
    b.append("| time to mitigate (trigger to traffic restored) | ").append(timeToMitigate == null ? "—" : timeToMitigate)
        .append(" |\n\n");
    b.append("## When each criterion first diverged\n\n");
    if (firstDiverged.isEmpty()) {
      b.append("No criterion went pending or fired.\n");
    }
    firstDiverged.forEach((c, w) -> b.append("- **").append(c).append("**: ").append(w).append('\n'));
    b.append("\n## Decisions by people\n\n");
    if (approvals.isEmpty()) {
      b.append("None.\n");
    }
    approvals.forEach(a -> b.append("- ").append(a).append('\n'));
    if (playbook != null) {
      b.append("\n## Playbook\n\n");
      playbook.forEach(p -> b.append("- ").append(p).append('\n'));
    }
    if (revised != null) {
      b.append("\n## Revised policy on the same observations\n\n");
      b.append("Policy `").append(revised.policyHash()).append("`: ").append(revised.firstActionWindow() == null
          ? "would not have acted." : revised.firstAction() + " at window " + revised.firstActionWindow() + " ("
          + revised.firstActionAt() + ") by " + revised.criteria() + ", " + revised.comparedWithOriginal() + ".")
          .append('\n');
    }
    b.append("\n## Timeline\n\n");
    timeline.forEach(t -> b.append("- ").append(t).append('\n'));
    b.append("\n## Recommendations\n\n");
    if (recommendations.isEmpty()) {
      b.append("None from the record.\n");
    }
    recommendations.forEach(r -> b.append("- ").append(r).append('\n'));
    return b.toString();
  }
}
