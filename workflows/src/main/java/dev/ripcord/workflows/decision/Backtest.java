package dev.ripcord.workflows.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ripcord.workflows.policy.ReleasePolicy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engine a release runs, over recorded windows: what it would have decided, and when it would first have acted. */
public final class Backtest {
  private Backtest() {}

  public record Result(List<WindowVerdict> decisions, Summary summary) {}

  /**
   * @param firstAction the first window whose verdict asks the release to act (not continue or alert), if any
   * @param firstFired for each criterion, the first window it fired in
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Summary(int windows, int inconclusiveWindows, Integer firstActionWindow, String firstActionAt,
      String firstAction, List<String> firstActionCriteria, Map<String, Integer> firstFired, String sampleRatio) {

    public Summary(int windows, int inconclusiveWindows, Integer firstActionWindow, String firstActionAt,
        String firstAction, List<String> firstActionCriteria, Map<String, Integer> firstFired) {
      this(windows, inconclusiveWindows, firstActionWindow, firstActionAt, firstAction, firstActionCriteria,
          firstFired, null);
    }

    public String sentence() {
      String head = windows + " windows, " + inconclusiveWindows + " with inconclusive criteria; ";
      if (firstActionWindow == null) {
        return head + "no criterion would have acted" + (firstFired.isEmpty() ? "" : " (alerts: " + firstFired + ")");
      }
      return head + "first action " + firstAction + " at window " + firstActionWindow
          + (firstActionAt == null ? "" : " (" + firstActionAt + ")") + " by " + firstActionCriteria
          + "; first firing per criterion: " + firstFired + (sampleRatio == null ? "" : "; " + sampleRatio);
    }
  }

  public static Result run(ReleasePolicy policy, List<Observation> windows) {
    VerdictEngine engine = new CriteriaEngine();
    EngineState state = engine.start(policy);
    List<WindowVerdict> decisions = new ArrayList<>();
    Map<String, Integer> firstFired = new LinkedHashMap<>();
    WindowVerdict firstAction = null;
    int inconclusive = 0;
    String srmAction = SampleRatio.action(policy);
    SampleRatio.State split = null;
    String srmFound = null;
    for (Observation o : windows) {
      // The guard counts each stage's split at the weight the policy plans for it (no router to confirm one here).
      if (!"off".equals(srmAction)) {
        split = SampleRatio.observe(split, o.stage(), plannedWeight(policy, o.stage()), false, o,
            SampleRatio.alpha(policy), SampleRatio.tolerance(policy));
      }
      String distrust = split == null ? null : split.mismatch();
      Evaluation e = engine.evaluate(policy, state, o, () -> true, dev.ripcord.workflows.decision.stats.SequentialTest
          .Rules.CURRENT, distrust);
      state = e.state();
      WindowVerdict d = e.verdict();
      decisions.add(d);
      if (distrust != null && srmFound == null) {
        srmFound = "window " + d.window() + ": " + distrust + " (policy: " + srmAction + ")";
        if (firstAction == null && "pause-and-investigate".equals(srmAction)) {
          firstAction = new WindowVerdict(d.window(), d.t(), d.stage(), Verdict.PAUSE_AND_INVESTIGATE,
              List.of(SampleRatio.NAME), d.pending(), d.results(), distrust);
        }
      }
      if (d.inconclusive()) {
        inconclusive++;
      }
      for (String c : d.fired()) {
        firstFired.putIfAbsent(c, d.window());
      }
      if (firstAction == null && d.triggered()) {
        firstAction = d;
      }
    }
    Summary s = new Summary(decisions.size(), inconclusive, firstAction == null ? null : firstAction.window(),
        firstAction == null ? null : firstAction.t(), firstAction == null ? null : firstAction.verdict().label(),
        firstAction == null ? null : firstAction.fired(), firstFired, srmFound);
    return new Result(List.copyOf(decisions), s);
  }

  private static int plannedWeight(ReleasePolicy policy, String stage) {
    return policy.stages().stream().filter(s -> s.name().equals(stage) && s.weight() != null)
        .mapToInt(s -> s.weight()).findFirst().orElse(0);
  }
}
