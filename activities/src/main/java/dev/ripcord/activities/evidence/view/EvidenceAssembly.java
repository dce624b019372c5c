package dev.ripcord.activities.evidence.view;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Criterion;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Event;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Header;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Point;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Series;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.WeightPoint;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Window;
import dev.ripcord.activities.history.HistoryObservations;
import dev.ripcord.activities.history.ReleaseRuns;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.decision.CriteriaEngine;
import dev.ripcord.workflows.decision.CriterionResult;
import dev.ripcord.workflows.decision.EngineState;
import dev.ripcord.workflows.decision.Evaluation;
import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observations;
import dev.ripcord.workflows.decision.SampleRatio;
import dev.ripcord.workflows.decision.WindowVerdict;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.policy.CriterionSpec;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.StageSpec;
import dev.ripcord.workflows.release.Arithmetic;
import dev.ripcord.workflows.release.HistoryMarkers;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseReport;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Assembles a release's evidence from its runs' histories (oldest first): each run's windows are judged again by the
 * engine from where the run began (the engine state and sample-ratio count a continued run carries, the arithmetic
 * the release was pinned to or its markers chose), so every statistic is the one the workflow computed. The audit
 * comes from the release's report (asked of the live release, or its completion, or an evidence bundle's).
 */
public final class EvidenceAssembly {
  private static final ObjectMapper JSON = new ObjectMapper()
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  private static final Pattern MOVE = Pattern.compile("candidate (\\d+) → (\\d+) %");

  private EvidenceAssembly() {}

  /**
   * What one run yields: its windows with their verdicts, judged from where the run began.
   *
   * @param continuedFrom the run this one continued, or empty for a release's first run
   */
  public record RunWindows(String runId, String continuedFrom, ReleaseInput input, List<Observation> observations,
      List<WindowVerdict> verdicts, String arithmetic, String started, List<String> builds) {}

  /** The evidence of a release from its runs and its report (null: the last run's completion, when it has one). */
  public static ReleaseEvidence of(List<WorkflowExecutionHistory> runs, ReleaseReport report) {
    List<RunWindows> judged = new ArrayList<>();
    for (WorkflowExecutionHistory run : runs) {
      judged.add(judge(run));
    }
    return ofJudged(judged, report != null ? report : completion(runs.get(runs.size() - 1)));
  }

  /** The evidence from runs already judged ({@link #judge}, which a page keeps for runs that have ended). */
  public static ReleaseEvidence ofJudged(List<RunWindows> runs, ReleaseReport report) {
    RunWindows first = runs.get(0);
    RunWindows last = runs.get(runs.size() - 1);
    ReleasePolicy policy = last.input().policy();
    List<Window> windows = new ArrayList<>();
    Map<String, List<String>> statuses = new LinkedHashMap<>();
    Map<String, Map<String, List<Point>>> points = new LinkedHashMap<>();
    Map<String, Map<String, Measure>> shapes = new LinkedHashMap<>();
    Map<String, Integer> fired = new HashMap<>();
    Map<String, String> firedAt = new HashMap<>();
    for (CriterionSpec c : policy.criteria()) {
      statuses.put(c.name(), new ArrayList<>());
      points.put(c.name(), new LinkedHashMap<>());
      shapes.put(c.name(), new LinkedHashMap<>());
    }
    for (int r = 0; r < runs.size(); r++) {
      RunWindows run = runs.get(r);
      int evaluated = evaluated(runs, r, report);
      for (int i = 0; i < run.verdicts().size(); i++) {
        WindowVerdict d = run.verdicts().get(i);
        if (d.window() > evaluated) {
          break; // taken with the trigger's window but never judged: the release had acted
        }
        Observation o = run.observations().get(i);
        windows.add(new Window(d.window(), r + 1, o.from(), d.t(), d.stage(),
            plannedWeight(run.input().policy(), d.stage()), d.verdict().label(), d.explanation()));
        for (CriterionResult res : d.results()) {
          List<String> seen = statuses.computeIfAbsent(res.criterion(), k -> new ArrayList<>());
          while (seen.size() < windows.size() - 1) {
            seen.add(null); // a criterion a re-release added: no status before it existed
          }
          seen.add(res.status().name());
          if (res.status() == CriterionResult.Status.FIRED) {
            fired.putIfAbsent(res.criterion(), d.window());
            firedAt.putIfAbsent(res.criterion(), d.t());
          }
          for (Measure m : res.measures() == null ? List.<Measure>of() : res.measures()) {
            shapes.computeIfAbsent(res.criterion(), k -> new LinkedHashMap<>()).putIfAbsent(m.path(), m);
            points.computeIfAbsent(res.criterion(), k -> new LinkedHashMap<>())
                .computeIfAbsent(m.path(), k -> new ArrayList<>()).add(point(d, res, m, o, run.input().policy()));
          }
        }
      }
    }
    List<Criterion> criteria = new ArrayList<>();
    for (var e : statuses.entrySet()) {
      CriterionSpec spec = policy.criteria().stream().filter(c -> c.name().equals(e.getKey())).findFirst()
          .orElse(null);
      List<Series> leaves = new ArrayList<>();
      shapes.getOrDefault(e.getKey(), Map.of()).forEach((path, m) -> leaves.add(new Series(path, m.signal(),
          m.statistic(), m.op(), List.copyOf(points.get(e.getKey()).get(path)))));
      criteria.add(new Criterion(e.getKey(), spec == null ? null : spec.action(), spec == null ? null
          : spec.severity(), fired.get(e.getKey()), firedAt.get(e.getKey()), e.getValue(), List.copyOf(leaves)));
    }
    List<Event> events = new ArrayList<>();
    List<WeightPoint> weights = new ArrayList<>();
    String lastStage = null;
    for (Window w : windows) {
      if (w.plannedWeight() != null && w.t() != null && !w.stage().equals(lastStage)) {
        // The stage's weight from its first window's start (a pushed window says only when it was judged).
        weights.add(new WeightPoint(instant(w.from()) ? w.from() : w.t(), w.plannedWeight(), "planned"));
      }
      lastStage = w.stage();
    }
    Integer confirmed = null;
    if (report != null && report.audit() != null) {
      for (AuditEntry a : report.audit()) {
        events.add(new Event(a.at(), a.kind(), a.actor(), a.message()));
        Matcher m = MOVE.matcher(a.message() == null ? "" : a.message());
        if ("ACTION".equals(a.kind()) && m.find() && !a.message().contains("expected of the external controller")) {
          confirmed = Integer.parseInt(m.group(2));
          weights.add(new WeightPoint(a.at(), confirmed, "router"));
        }
      }
    }
    if (weights.stream().allMatch(w -> instant(w.t()))) {
      weights.sort(java.util.Comparator.comparing(w -> Instant.parse(w.t())));
    }
    ReleaseInput in = first.input();
    Header header = new Header(report != null ? report.releaseId() : null, policy.release().model(),
        policy.release().candidate(), policy.release().baseline(), policy.release().bundleId(), in.releasedBy(),
        report == null || report.state() == null ? null : report.state().name(),
        windows.isEmpty() ? null : windows.get(windows.size() - 1).stage(), confirmed, last.input().policyHash(),
        last.arithmetic(), runs.size(), first.started(),
        runs.stream().flatMap(r -> r.builds().stream()).distinct().toList());
    return new ReleaseEvidence(header, List.copyOf(windows), List.copyOf(criteria), List.copyOf(weights),
        List.copyOf(events));
  }

  /**
   * How many windows the release had judged when run {@code r} ended: the next run's carried count, or the report's
   * for the last run (windows pushed in the same moment as a trigger reach the history but are never judged).
   */
  private static int evaluated(List<RunWindows> runs, int r, ReleaseReport report) {
    if (r + 1 < runs.size()) {
      ReleaseInput next = runs.get(r + 1).input();
      if (next.carried() != null && next.carried().engine() != null) {
        return next.carried().engine().windows();
      }
      return Integer.MAX_VALUE; // a re-release starts a fresh count
    }
    return report == null || report.windows() <= 0 ? Integer.MAX_VALUE : report.windows();
  }

  /**
   * Judges one run's windows again: from the engine state and sample-ratio count it carried (a fresh start for a
   * first run or a re-release) with the arithmetic the release judges by.
   */
  public static RunWindows judge(WorkflowExecutionHistory run) {
    List<HistoryEvent> events = run.getEvents();
    ReleaseInput input = ReleaseRuns.input(events);
    if (input == null || input.policy() == null) {
      throw new IllegalArgumentException("not a release's history (its first event has no release input)");
    }
    ReleasePolicy policy = input.policy();
    Map<String, Integer> markers = markers(events);
    String pinned = input.carried() != null && input.carried().arithmetic() != null ? input.carried().arithmetic()
        : Arithmetic.pinnedAt(markers.getOrDefault(HistoryMarkers.ARITHMETIC_PINNED, 0));
    SequentialTest.Rules rules = pinned != null ? Arithmetic.pinned(pinned)
        : Arithmetic.byMarkers(policy, id -> markers.getOrDefault(id, 0) >= 1);
    CriteriaEngine engine = new CriteriaEngine();
    EngineState state = input.carried() != null && input.carried().engine() != null ? input.carried().engine()
        : engine.start(policy);
    SampleRatio.State split = input.carried() == null ? null : input.carried().sampleRatio();
    String srm = SampleRatio.action(policy);
    boolean guarded = markers.getOrDefault(HistoryMarkers.SAMPLE_RATIO, 0) >= 1;
    List<Observation> observations = new ArrayList<>();
    List<WindowVerdict> verdicts = new ArrayList<>();
    for (JsonNode raw : HistoryObservations.of(run)) {
      Observation o = observation(raw, policy);
      if (o == null) {
        continue;
      }
      if (!"off".equals(srm)) {
        Integer w = plannedWeight(policy, o.stage());
        split = SampleRatio.observe(split, o.stage(), w == null ? 0 : w, false, o, SampleRatio.alpha(policy),
            SampleRatio.tolerance(policy));
      }
      // A release from before the guard (no 'sample-ratio' marker, asked where a mismatch was found) compared on.
      String distrust = split == null || !guarded ? null : split.mismatch();
      Evaluation e = engine.evaluate(policy, state, o, () -> true, rules, distrust);
      state = e.state();
      observations.add(o);
      verdicts.add(e.verdict());
    }
    String started = Instant.ofEpochSecond(events.get(0).getEventTime().getSeconds(),
        events.get(0).getEventTime().getNanos()).toString();
    return new RunWindows(run.getWorkflowExecution().getRunId(),
        events.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId(), input,
        List.copyOf(observations), List.copyOf(verdicts),
        pinned != null ? pinned : rules.name(), started,
        dev.ripcord.activities.temporal.RunBuilds.of(events));
  }

  /**
   * A window as the release judged it: parsed as its handler parsed it, or, for a window that closed with nothing
   * pushed (which no handler parses), empty as the release judged it; null for one the release refused.
   */
  static Observation observation(JsonNode raw, ReleasePolicy policy) {
    Observations.Parsed p = Observations.parse(raw, policy);
    if (p.ok()) {
      return p.observation();
    }
    if (raw.path("signals").isObject() && raw.path("signals").isEmpty() && raw.hasNonNull("t")) {
      return Observation.empty(raw.get("t").asText(), raw.path("stage").asText(null), raw.path("source").asText(null));
    }
    return null;
  }

  /** The version each marker recorded in this history (the first time it was asked). */
  static Map<String, Integer> markers(List<HistoryEvent> events) {
    Map<String, Integer> out = new HashMap<>();
    for (HistoryEvent e : events) {
      if (!e.hasMarkerRecordedEventAttributes() || !"Version".equals(e.getMarkerRecordedEventAttributes()
          .getMarkerName())) {
        continue;
      }
      var details = e.getMarkerRecordedEventAttributes().getDetailsMap();
      try {
        String id = JSON.readValue(details.get("changeId").getPayloads(0).getData().toByteArray(), String.class);
        int version = JSON.readValue(details.get("version").getPayloads(0).getData().toByteArray(), Integer.class);
        out.putIfAbsent(id, version);
      } catch (java.io.IOException | RuntimeException ex) {
        // a marker another SDK wrote differently says nothing about the arithmetic
      }
    }
    return out;
  }

  private static Point point(WindowVerdict d, CriterionResult res, Measure m, Observation o, ReleasePolicy policy) {
    double[] cand = null;
    double[] base = null;
    var signal = policy.signal(m.signal());
    var reading = o.signals() == null ? null : o.signals().get(m.signal());
    if (signal != null && reading != null && signal.isRate() && signal.unit() == null) {
      cand = Bands.wilson(reading.candidate(), signal.perOrOne(), m.candidate());
      base = Bands.wilson(reading.baseline(), signal.perOrOne(), m.baseline());
    }
    return new Point(d.window(), d.t(), res.status().name(), m.value(), m.threshold(), m.candidate(),
        cand == null ? null : cand[0], cand == null ? null : cand[1], m.baseline(), base == null ? null : base[0],
        base == null ? null : base[1]);
  }

  private static boolean instant(String t) {
    try {
      return t != null && Instant.parse(t) != null;
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  private static Integer plannedWeight(ReleasePolicy policy, String stage) {
    for (StageSpec s : policy.stages()) {
      if (s.name().equals(stage)) {
        return s.weight();
      }
    }
    return null;
  }

  private static ReleaseReport completion(WorkflowExecutionHistory run) {
    HistoryEvent end = run.getLastEvent();
    if (!end.hasWorkflowExecutionCompletedEventAttributes()) {
      return null;
    }
    try {
      return JSON.readValue(end.getWorkflowExecutionCompletedEventAttributes().getResult().getPayloads(0).getData()
          .toByteArray(), ReleaseReport.class);
    } catch (java.io.IOException e) {
      return null;
    }
  }
}
