package dev.ripcord.workflows.rollout;

import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonIgnore;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * One stage's bake clock: how long the stage has been watched (time paused or waiting for people does not count
 * toward promotion, but paused time is not baked at all), how many candidate samples it has seen, and when the current
 * evaluation window began. Pure: the caller passes workflow time in, so this is unit-tested without Temporal. Its
 * fields are carried across continue-as-new inside the release's {@code Progress}, under the names older runs used.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public final class BakeClock {
  private long stageStartedAt;
  private long bakedMillis;
  private long stageSamples;
  private long windowStartedAt;
  private boolean sawPushThisWindow;
  /** Windows evaluated in this stage, and in how many of them each criterion was conclusive (for coverage). */
  private int stageWindows;
  private TreeMap<String, Integer> stageConclusive = new TreeMap<>();
  /** When time was last counted; set when watching (re)starts, not carried. */
  @JsonIgnore private long lastTick;

  /** A new stage begins at {@code now}: nothing baked, no samples, a fresh window. */
  public void enterStage(long now) {
    stageStartedAt = now;
    windowStartedAt = now;
    bakedMillis = 0;
    stageSamples = 0;
    sawPushThisWindow = false;
    stageWindows = 0;
    stageConclusive = new TreeMap<>();
  }

  /** One window of this stage was evaluated; {@code conclusive} are the criteria it had enough data for. */
  public void countWindow(Collection<String> conclusive) {
    stageWindows++;
    conclusive.forEach(c -> stageConclusive.merge(c, 1, Integer::sum));
  }

  /**
   * The criteria conclusive in less than {@code min} of this stage's windows (none evaluated counts as none
   * conclusive), each as "name: k of n windows"; empty when every one has enough evidence to promote on.
   */
  public List<String> coverageShortfall(Collection<String> criteria, double min) {
    List<String> short_ = new ArrayList<>();
    if (min <= 0) {
      return short_; // minCoverage: 0 turns the rule off
    }
    for (String c : criteria) {
      int k = stageConclusive.getOrDefault(c, 0);
      if (stageWindows == 0 || k < min * stageWindows) {
        short_.add(c + ": " + k + " of " + stageWindows + " windows conclusive");
      }
    }
    return short_;
  }

  /** Watching starts (or restarts after continue-as-new) at {@code now}. */
  public void startWatching(long now) {
    lastTick = now;
  }

  /** Counts the time since the last tick as baked, unless the release was paused for it. */
  public void tick(long now, boolean paused) {
    if (!paused) {
      bakedMillis += now - lastTick;
    }
    lastTick = now;
  }

  /** Whether the stage has baked long enough and seen enough samples to be promoted. */
  public boolean baked(long bakeMillis, long minSamples) {
    return bakedMillis >= bakeMillis && stageSamples >= minSamples;
  }

  /**
   * How long to wait from {@code now}: until the next window, or until the bake is done when the clock is
   * {@code counting} (not paused, nobody asked) and the samples are already there.
   */
  public long nextWait(long now, long interval, long bakeMillis, long minSamples, boolean counting) {
    long wait = windowStartedAt + interval - now;
    if (counting && stageSamples >= minSamples) {
      wait = Math.min(wait, bakeMillis - bakedMillis);
    }
    return wait;
  }

  public boolean windowDue(long now, long interval) {
    return now >= windowStartedAt + interval;
  }

  /** A pushed observation arrived in this window. */
  public void pushed() {
    sawPushThisWindow = true;
  }

  /** Closes the window at {@code now} and starts the next; returns whether observations were pushed during it. */
  public boolean closeWindow(long now) {
    windowStartedAt = now;
    boolean any = sawPushThisWindow;
    sawPushThisWindow = false;
    return any;
  }

  public void countSamples(long candidateTrials) {
    stageSamples += candidateTrials;
  }

  public long stageStartedAt() {
    return stageStartedAt;
  }

  public long windowStartedAt() {
    return windowStartedAt;
  }

  /** Whether a pushed observation arrived in the window open now. */
  public boolean sawPushThisWindow() {
    return sawPushThisWindow;
  }

  public long bakedMillis() {
    return bakedMillis;
  }

  public long stageSamples() {
    return stageSamples;
  }
}
