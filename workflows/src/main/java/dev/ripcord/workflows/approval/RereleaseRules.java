package dev.ripcord.workflows.approval;

import dev.ripcord.workflows.policy.Bundles;
import dev.ripcord.workflows.policy.PolicyGate;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.PolicyProblem;
import dev.ripcord.workflows.policy.ReleasePolicy;
import java.util.ArrayList;
import java.util.List;

/**
 * Rules on what a re-release asks for against the policy that was rolled back: a fixed candidate or a new eval report,
 * optionally a revised policy that keeps the model, baseline and router (its bundle may change: a prompt-only
 * fix). Pure apart from {@code startedBefore}
 * ({@link PolicyGate}).
 */
public final class RereleaseRules {
  private RereleaseRules() {}

  /**
   * The judgement: a refusal, or the policy the next run rolls out.
   *
   * @param revised whether the revised policy's rules differ from the rolled-back one (not just the candidate)
   */
  public record Ruling(String refusal, ReleasePolicy next, String nextHash, boolean revised, boolean newCandidate,
      boolean newReport, List<String> bundleChanges) {
    public static Ruling refused(String why) {
      return new Ruling(why, null, null, false, false, false, List.of());
    }
  }

  public static Ruling rule(ReleasePolicy policy, RereleaseRequest q, PolicyGate.Rules startedBefore) {
    String rolledBack = policy.release().candidate();
    if (q.candidate() != null && q.candidate().equals(policy.release().baseline())) {
      return Ruling.refused("candidate " + q.candidate() + " is the baseline; name the fixed version");
    }
    String currentReport = policy.release().artifacts() == null ? null : policy.release().artifacts().evalReport();
    boolean newCandidate = q.candidate() != null && !q.candidate().equals(rolledBack);
    boolean newReport = q.evalReport() != null && !q.evalReport().equals(currentReport);
    ReleasePolicy base = policy;
    if (q.policy() != null) {
      List<PolicyProblem> problems = new ArrayList<>();
      base = PolicyGate.parse(q.policy().toString(), problems, startedBefore);
      if (base == null) {
        return Ruling.refused("revised policy: " + (problems.isEmpty() ? "empty" : first(problems)));
      }
      String changed = changedIdentity(policy, base);
      if (changed != null) {
        return Ruling.refused("revised policy changes " + changed
            + "; a re-release keeps the model, baseline and router; start a new release instead");
      }
    }
    List<String> bundleChanges = Bundles.diff(policy.release().bundle(),
        base.release() == null ? null : base.release().bundle());
    if (!newCandidate && !newReport && bundleChanges.isEmpty()) {
      return Ruling.refused(rolledBack + " was rolled back" + (currentReport == null ? ""
          : " with eval report " + currentReport) + "; name the fixed candidate or a new eval report"
          + (policy.release().bundle() == null ? "" : ", or send a revised policy whose bundle changes a part"));
    }
    if (newCandidate && q.policy() == null && policy.release().bundle() != null) {
      return Ruling.refused("the release describes a bundle whose weights are " + rolledBack + "; send the"
          + " revised policy with " + q.candidate() + "'s bundle");
    }
    boolean revised = !PolicyLoader.hash(base.withRelease(policy.release())).equals(PolicyLoader.hash(policy));
    ReleasePolicy next = base.withRelease(base.release().fixedBy(q.candidate(), q.evalReport()));
    List<PolicyProblem> problems = PolicyGate.problems(next, startedBefore);
    if (!problems.isEmpty()) {
      return Ruling.refused("revised policy: " + first(problems));
    }
    return new Ruling(null, next, PolicyLoader.hash(next), revised, newCandidate, newReport, bundleChanges);
  }

  /** What a revised policy changes that a re-release must keep, as "field (old → new)", or null. */
  private static String changedIdentity(ReleasePolicy policy, ReleasePolicy base) {
    String[][] same = {
        {"release.model", policy.release().model(), base.release() == null ? null : base.release().model()},
        {"release.baseline", policy.release().baseline(), base.release() == null ? null : base.release().baseline()},
        {"router", String.valueOf(policy.router()), String.valueOf(base.router())}};
    for (String[] s : same) {
      if (!s[1].equals(s[2])) {
        return s[0] + " (" + s[1] + " → " + s[2] + ")";
      }
    }
    return null;
  }

  private static String first(List<PolicyProblem> problems) {
    return problems.get(0) + (problems.size() > 1 ? " (and " + (problems.size() - 1) + " more)" : "");
  }
}
