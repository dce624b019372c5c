package dev.ripcord.workflows.release;

import dev.ripcord.workflows.decision.CriteriaEngine;
import dev.ripcord.workflows.decision.stats.SequentialTest;
import dev.ripcord.workflows.policy.ReleasePolicy;
import java.util.function.Predicate;

/**
 * Which arithmetic ({@link SequentialTest.Rules}) a release judges by, as the workflow chooses it and as anyone reading
 * its history afterwards must: pinned by name at its start (marker {@code arithmetic-pinned}), or, for releases
 * started before that marker, chosen from the markers each window asked. Pure: the workflow passes a marker test that
 * records, a reader one that looks the markers up in the history.
 */
public final class Arithmetic {
  private Arithmetic() {}

  /** The arithmetic named {@code name}; a name this build does not know is refused, saying why. */
  public static SequentialTest.Rules pinned(String name) {
    SequentialTest.Rules rules = SequentialTest.Rules.NAMED.get(name);
    if (rules == null) {
      throw new IllegalStateException("this release is judged by arithmetic '" + name + "', which this build does not"
          + " know (it knows " + SequentialTest.Rules.NAMED.keySet() + "): a newer build"
          + " started it; this workflow task fails and is retried until a worker of that build takes it");
    }
    return rules;
  }

  /** The name marker {@code arithmetic-pinned} at {@code version} pins; null for version 0 (before the marker). */
  public static String pinnedAt(int version) {
    return version <= 0 ? null : Versions.PINNABLE.get(version - 1);
  }

  /**
   * The arithmetic of a release started before marker {@code arithmetic-pinned}: what the markers say, asked in the
   * order the workflow has always asked them (and only where the policy makes them matter), so a recording test
   * records the same markers as before.
   */
  public static SequentialTest.Rules byMarkers(ReleasePolicy policy, Predicate<String> has) {
    SequentialTest.Rules tests = CriteriaEngine.usesSequentialTests(policy) && !has.test(Versions.DETECTION_V2)
        ? SequentialTest.Rules.V1 : SequentialTest.Rules.V2;
    if (tests == SequentialTest.Rules.V2 && CriteriaEngine.usesMeanTests(policy)
        && has.test(Versions.MEANS_BY_STAGE)) {
      tests = SequentialTest.Rules.V3;
    }
    if (CriteriaEngine.usesQuantileTests(policy) && has.test(Versions.QUANTILES_BY_STAGE)) {
      tests = tests.withQuantileRestarts();
    }
    return tests;
  }
}
