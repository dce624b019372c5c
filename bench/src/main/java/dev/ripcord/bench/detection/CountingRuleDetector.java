package dev.ripcord.bench.detection;

/**
 * The industry rules: per-measurement threshold checks on the candidate, each measurement covering
 * {@code windowOutputs} candidate outputs. A measurement fails when its events exceed {@code maxEvents}.
 * <ul>
 *   <li>Argo Rollouts: the analysis fails when the cumulative number of failed measurements exceeds
 *       {@code failureLimit} (so failureLimit + 1 failures roll back).</li>
 *   <li>Flagger: the canary is rolled back when the cumulative failed checks reach {@code threshold}.</li>
 * </ul>
 * Both are written out separately to stay faithful to each tool's rule; with threshold = failureLimit + 1 they make
 * the same decisions.
 */
final class CountingRuleDetector implements Detector {
  enum Tool { ARGO, FLAGGER }

  private final Tool tool;
  private final long windowOutputs;
  private final long maxEvents;
  private final int limit;
  private final String basis;
  private long outputs;
  private long events;
  private int failures;

  /**
   * @param limit Argo's failureLimit, or Flagger's threshold
   * @param basis what the event limit was calibrated for: "flat" or "seasonal" traffic
   */
  CountingRuleDetector(Tool tool, long windowOutputs, long maxEvents, int limit, String basis) {
    this.tool = tool;
    this.windowOutputs = windowOutputs;
    this.maxEvents = maxEvents;
    this.limit = limit;
    this.basis = basis;
  }

  @Override
  public String name() {
    return (tool == Tool.ARGO ? "argo(window=" + windowOutputs + ",failureLimit=" : "flagger(window=" + windowOutputs
        + ",threshold=") + limit + ",maxEvents=" + maxEvents + "," + basis + "-calibrated)";
  }

  @Override
  public Detector fresh() {
    return new CountingRuleDetector(tool, windowOutputs, maxEvents, limit, basis);
  }

  @Override
  public boolean window(int t, long xc, long nc, long xb, long nb) {
    outputs += nc;
    events += xc;
    while (outputs >= windowOutputs) {
      // the measurement closes; events are attributed pro rata to the part of this window that belongs to it
      long carryOutputs = outputs - windowOutputs;
      long carryEvents = nc == 0 ? 0 : Math.round((double) xc * carryOutputs / nc);
      long measured = events - carryEvents;
      if (measured > maxEvents) {
        failures++;
      }
      outputs = carryOutputs;
      events = carryEvents;
      boolean rollback = tool == Tool.ARGO ? failures > limit : failures >= limit;
      if (rollback) {
        return true;
      }
    }
    return false;
  }
}
