package dev.ripcord.workflows.policy;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Checks a parsed policy and reports every problem with its JSON path and a hint, like a compiler. Pure and
 * deterministic, so the workflow can run it again on the policy it was started with.
 */
public final class PolicyValidator {
  public static final List<String> ACTIONS = Named.texts(Action.class);
  public static final List<String> SIGNAL_KINDS = Named.texts(SignalKind.class);
  public static final List<String> CATEGORIES = Named.texts(Category.class);
  public static final List<String> DIRECTIONS = Named.texts(Direction.class);
  public static final List<String> SEVERITIES = Named.texts(Severity.class);
  public static final List<String> SOURCES = Named.texts(Source.class);
  static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-zA-Z]+)}");
  static final List<String> QUERY_PLACEHOLDERS = List.of("version", "window", "model");
  /** Built-in router types; a worker may add its own, named {@code x-<name>} (see TrafficRouter). */
  public static final List<String> ROUTERS = List.of("http", "haproxy", "gateway-api", "kserve", "external");
  /**
   * A router type, observation source or bundle part of a team's own: a worker bean serves it (see
   * docs/contracts.md). The schema allows the same names.
   */
  public static final Pattern CUSTOM_NAME = Pattern.compile("x-[a-z0-9][a-z0-9-]{0,40}");
  public static final List<String> ON_TIMEOUT = Named.texts(OnTimeout.class);
  public static final List<Integer> RATE_UNITS = List.of(1, 100, 1000, 10000);
  static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,62}");

  private PolicyValidator() {}

  /**
   * Every problem of the policy, with today's rules (the ranges, the fail-safe defaults and the consistency rules
   * included).
   */
  public static List<PolicyProblem> validate(ReleasePolicy policy) {
    List<PolicyProblem> all = new ArrayList<>(validate(policy, true));
    all.addAll(FailSafeChecks.problems(policy));
    all.addAll(ConsistencyChecks.problems(policy));
    all.addAll(SourceFitChecks.problems(policy));
    return all;
  }

  /**
   * Every problem of the policy; {@code strict} adds the ranges of {@link PolicyBounds}, which releases started
   * before the workflow's {@code strict-policy} marker were not checked against.
   */
  public static List<PolicyProblem> validate(ReleasePolicy policy, boolean strict) {
    Problems out = new Problems();
    try {
      check(policy, out);
      if (strict) {
        PolicyBounds.check(policy, out::add);
      }
    } catch (RuntimeException e) {
      // A check that trips over a shape nobody foresaw still answers with a problem, never with a crash.
      out.problem("$", INTERNAL + e, "fix the problems listed before this one and validate again");
    }
    return out.list();
  }

  /** Starts the message of the problem reported when a check itself failed (tests assert it never appears). */
  public static final String INTERNAL = "the validator could not check this policy further: ";

  /** Section by section, in the order a policy is written; later sections use what earlier ones found. */
  private static void check(ReleasePolicy p, Problems out) {
    if (!ReleasePolicy.API_VERSION.equals(p.apiVersion())) {
      out.problem("$.apiVersion", p.apiVersion() == null ? "is required" : "'" + p.apiVersion() + "' is not supported",
          "write apiVersion: " + ReleasePolicy.API_VERSION);
    }
    ReleaseChecks release = new ReleaseChecks(out);
    StageChecks stages = new StageChecks(out);
    GovernanceChecks governance = new GovernanceChecks(out);
    release.checkRelease(p.release());
    release.checkRouter(p.router());
    release.checkEvaluation(p.evaluation());
    stages.checkStages(p.stages());
    new BundleChecks(out).check(p);
    Set<String> signals = new SignalChecks(out).checkSignals(p.signals());
    new ObservationChecks(out).checkObservations(p.observations(), p.signals() == null ? List.of() : p.signals());
    Set<String> roles = governance.checkRoles(p.governance());
    new CriteriaChecks(out).checkCriteria(p, signals);
    governance.checkDecisions(p, roles);
    new IdentityChecks(out).check(p.governance() == null ? null : p.governance().identity());
    stages.checkRollback(p.rollback());
    stages.checkUnsafeAfter(p, roles);
    release.checkNotifications(p.notifications());
    release.checkEvidence(p.evidence());
    new PlaybookChecks(out).checkPlaybook(p.playbook(), roles);
  }
}
