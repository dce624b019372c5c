package dev.ripcord.workflows.policy;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Rules that came after releases were already running (the release workflow asks its {@code consistent-policy}
 * marker before it holds a running release to them): names a person can type and read, each principal once per role,
 * conditions of bounded depth, an investigation that really reduces exposure, and a policy that can roll back unless it
 * says it is a dry run. Also the warnings that refuse nothing. Pure.
 */
public final class ConsistencyChecks {
  /** The deepest a condition may nest ({@code anyOf} in {@code allOf} in ...); real policies use two or three. */
  public static final int MAX_CONDITION_DEPTH = 8;

  private ConsistencyChecks() {}

  /** The problems of {@code p} under these rules; never throws (a shape nobody foresaw is a problem too). */
  public static List<PolicyProblem> problems(ReleasePolicy p) {
    List<PolicyProblem> out = new ArrayList<>();
    try {
      check(p, out);
    } catch (RuntimeException e) {
      out.add(new PolicyProblem("$", PolicyValidator.INTERNAL + e, "fix the problems listed before this one and"
          + " validate again"));
    }
    return out;
  }

  private static void check(ReleasePolicy p, List<PolicyProblem> out) {
    names(p, out);
    principals(p.governance(), out);
    List<CriterionSpec> criteria = p.criteria() == null ? List.of() : p.criteria();
    for (int i = 0; i < criteria.size(); i++) {
      CriterionSpec c = criteria.get(i);
      if (c != null) {
        depth("$.criteria[" + i + "].when", c.when(), 1, out);
        investigation("$.criteria[" + i + "].investigate", c, p.stages(), out);
      }
    }
    boolean someActs = criteria.stream().anyMatch(c -> c == null || c.actionType() != Action.ALERT_ONLY);
    if (!criteria.isEmpty() && !someActs && !p.declaresDryRun()) {
      out.add(new PolicyProblem("$.criteria", "every criterion is alert-only, so nothing this release sees can roll it"
          + " back", "give a criterion action: rollback (or rollback-after-approval, pause-and-investigate), or say"
          + " this is a dry run with dryRun: true at the top of the policy"));
    }
    if (p.declaresDryRun() && someActs) {
      out.add(new PolicyProblem("$.dryRun", "is true, but some criteria act", "make every criterion alert-only for a"
          + " dry run, or remove dryRun"));
    }
  }

  /**
   * What the policy allows but a demanding reader would question: one person holding every role of a policy that
   * requires no distinct roles for any decision (so a single account can decide everything).
   */
  public static List<PolicyProblem> warnings(ReleasePolicy p) {
    List<PolicyProblem> out = new ArrayList<>(oneAccount(p));
    List<CriterionSpec> criteria = p.criteria() == null ? List.of() : p.criteria();
    for (int i = 0; i < criteria.size(); i++) {
      if (criteria.get(i) != null) {
        thresholds("$.criteria[" + i + "].when", criteria.get(i).when(), p, out);
      }
    }
    stickyWithoutUnits(p, out);
    return out;
  }

  /**
   * Users who stick to one arm, judged output by output: each arm's pool of users differs from the other's by chance
   * for the whole stage, which tests that treat outputs as independent read as a real difference, given time.
   */
  private static void stickyWithoutUnits(ReleasePolicy p, List<PolicyProblem> out) {
    if (p.router() == null || p.router().stickiness() == null || p.signals() == null) {
      return;
    }
    boolean compared = p.signals().stream().anyMatch(s -> s != null && (s.isRate() || s.kindType() == SignalKind.MEAN));
    boolean units = p.signals().stream().anyMatch(s -> s != null && s.unit() != null);
    if (compared && !units) {
      out.add(new PolicyProblem("$.router.stickiness", "keeps each user on one version, but no signal declares its"
          + " unit, so tests treat a user's outputs as independent and read the two pools' chance difference as the"
          + " candidate's", "declare unit: user on the rate and mean signals the criteria compare (windows then carry"
          + " units since the stage began: docs/criteria.md)"));
    }
  }

  /** A baseline ratio on one number per window of a mean or quantile: no sample size, so a threshold, not a test. */
  private static void thresholds(String path, ConditionSpec c, ReleasePolicy p, List<PolicyProblem> out) {
    if (c == null) {
      return;
    }
    if (c.form() instanceof Condition.Composite composite) {
      for (int i = 0; i < composite.children().size(); i++) {
        thresholds(composite.childPath(path, i), composite.children().get(i), p, out);
      }
      return;
    }
    SignalSpec s = c.signal() == null ? null : p.signal(c.signal());
    if (s == null || s.isRate() || s.isPaired() || LeafKind.of(c, s) != LeafKind.BASELINE_RATIO) {
      return;
    }
    out.add(new PolicyProblem(path, "compares one " + s.kind() + " per window with the baseline's, with no sample"
        + " size: a threshold, not a test (it fires on noise at low volume and is slow at high volume)",
        s.kindType() == SignalKind.QUANTILE ? "read histograms: quantile: 0.99 with test: msprt (windows carry buckets)"
            : "add test: msprt (windows then carry n and sd, or n, sum and sumSquares)"));
  }

  private static List<PolicyProblem> oneAccount(ReleasePolicy p) {
    List<PolicyProblem> out = new ArrayList<>();
    GovernanceSpec g = p.governance();
    if (g == null || g.roles() == null || g.roles().size() < 2) {
      return out;
    }
    boolean separated = g.decisions() != null && g.decisions().values().stream().anyMatch(d -> d != null
        && (d.requireRoles() != null && d.requireRoles().size() > 1 || d.notBy() != null && !d.notBy().isEmpty()));
    if (separated) {
      return out;
    }
    Set<String> everywhere = null;
    for (List<String> principals : g.roles().values()) {
      Set<String> these = principals == null ? Set.of() : new HashSet<>(principals);
      if (everywhere == null) {
        everywhere = new HashSet<>(these);
      } else {
        everywhere.retainAll(these);
      }
    }
    for (String who : everywhere == null ? Set.<String>of() : new java.util.TreeSet<>(everywhere)) {
      out.add(new PolicyProblem("$.governance.roles", "'" + who + "' holds every role (" + String.join(", ",
          g.roles().keySet()) + ") and no decision requires distinct roles, so one account can decide everything",
          "give the roles different people, or require two roles for rollback and promote (requireRoles)"));
    }
    return out;
  }

  private static void names(ReleasePolicy p, List<PolicyProblem> out) {
    List<StageSpec> stages = p.stages() == null ? List.of() : p.stages();
    for (int i = 0; i < stages.size(); i++) {
      name("$.stages[" + i + "].name", stages.get(i) == null ? null : stages.get(i).name(), out);
    }
    List<SignalSpec> signals = p.signals() == null ? List.of() : p.signals();
    for (int i = 0; i < signals.size(); i++) {
      name("$.signals[" + i + "].name", signals.get(i) == null ? null : signals.get(i).name(), out);
    }
    List<CriterionSpec> criteria = p.criteria() == null ? List.of() : p.criteria();
    for (int i = 0; i < criteria.size(); i++) {
      name("$.criteria[" + i + "].name", criteria.get(i) == null ? null : criteria.get(i).name(), out);
    }
    if (p.governance() != null && p.governance().roles() != null) {
      p.governance().roles().keySet().forEach(role -> name("$.governance.roles." + role, role, out));
    }
  }

  /** A name people type in the Temporal UI and on the command line: no spaces, control or invisible characters. */
  static void name(String path, String name, List<PolicyProblem> out) {
    if (name == null) {
      return;
    }
    for (int i = 0; i < name.length(); ) {
      int c = name.codePointAt(i);
      String what = Character.isWhitespace(c) || Character.isSpaceChar(c) ? "a space"
          : Character.getType(c) == Character.CONTROL ? "a control character"
          : Character.getType(c) == Character.FORMAT ? "an invisible (zero-width or format) character"
          : Character.getType(c) == Character.UNASSIGNED || Character.getType(c) == Character.PRIVATE_USE
              || Character.getType(c) == Character.SURROGATE ? "a character that is not text" : null;
      if (what != null) {
        out.add(new PolicyProblem(path, "'" + printable(name) + "' holds " + what
            + String.format(java.util.Locale.ROOT, " (U+%04X)", c) + " at position " + (name.codePointCount(0, i) + 1),
            "names are typed in the Temporal UI and on the command line: use letters, digits, '-', '_' or '.'"));
        return;
      }
      i += Character.charCount(c);
    }
  }

  private static String printable(String s) {
    StringBuilder b = new StringBuilder();
    s.codePoints().limit(80).forEach(c -> {
      int type = Character.getType(c);
      if (type == Character.CONTROL || type == Character.FORMAT || type == Character.UNASSIGNED) {
        b.append(String.format(java.util.Locale.ROOT, "\\u%04X", c));
      } else {
        b.appendCodePoint(c);
      }
    });
    return b.toString();
  }

  private static void principals(GovernanceSpec g, List<PolicyProblem> out) {
    if (g == null || g.roles() == null) {
      return;
    }
    for (Map.Entry<String, List<String>> role : g.roles().entrySet()) {
      List<String> principals = role.getValue() == null ? List.of() : role.getValue();
      Set<String> seen = new HashSet<>();
      for (int j = 0; j < principals.size(); j++) {
        if (principals.get(j) != null && !seen.add(principals.get(j))) {
          out.add(new PolicyProblem("$.governance.roles." + role.getKey() + "[" + j + "]", "'" + principals.get(j)
              + "' is listed twice in this role", "list each principal once; a quorum counts people, not entries"));
        }
      }
    }
  }

  private static void depth(String path, ConditionSpec c, int level, List<PolicyProblem> out) {
    if (c == null) {
      return;
    }
    if (level > MAX_CONDITION_DEPTH) {
      out.add(new PolicyProblem(path, "nests conditions deeper than " + MAX_CONDITION_DEPTH + " levels",
          "flatten it: anyOf inside anyOf is one anyOf, allOf inside allOf one allOf"));
      return;
    }
    String[] kinds = {"allOf", "anyOf", "of"};
    List<List<ConditionSpec>> children = java.util.Arrays.asList(c.allOf(), c.anyOf(), c.of());
    for (int k = 0; k < kinds.length; k++) {
      List<ConditionSpec> list = children.get(k);
      for (int i = 0; list != null && i < list.size(); i++) {
        int before = out.size();
        depth(path + "." + kinds[k] + "[" + i + "]", list.get(i), level + 1, out);
        if (out.size() > before) {
          return; // one problem per criterion is enough to find it
        }
      }
    }
  }

  /** An investigation that "reduces" exposure to a weight above an exposed stage's would only freeze it there. */
  private static void investigation(String path, CriterionSpec c, List<StageSpec> stages, List<PolicyProblem> out) {
    CriterionSpec.Investigation inv = c.investigate();
    if (inv == null || inv.weight() == null || stages == null) {
      return;
    }
    for (StageSpec s : stages) {
      if (s != null && s.weight() != null && s.weight() > 0 && inv.weight() > s.weight()) {
        out.add(new PolicyProblem(path + ".weight", inv.weight() + " % is above stage '" + s.name() + "' at "
            + s.weight() + " %: an investigation never raises exposure, so there it would not reduce it",
            "set it below every exposed stage's weight (under " + s.weight() + "), or leave it out to freeze"
            + " exposure where it is"));
        return;
      }
    }
  }
}
