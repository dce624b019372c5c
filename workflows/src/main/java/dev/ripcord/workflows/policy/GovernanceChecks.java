package dev.ripcord.workflows.policy;

import static dev.ripcord.workflows.policy.PolicyValidator.ON_TIMEOUT;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks governance section: roles and decision rights. Reports into the one {@link Problems} collector; pure. */
final class GovernanceChecks {
  private final Problems out;

  GovernanceChecks(Problems out) {
    this.out = out;
  }

  Set<String> checkRoles(GovernanceSpec g) {
    Set<String> roles = new LinkedHashSet<>();
    if (!out.required("$.governance", g, "add governance: {roles: {...}, decisions: {...}}")) {
      return roles;
    }
    if (g.roles() == null || g.roles().isEmpty()) {
      out.problem("$.governance.roles", "needs at least one role", "e.g. safety-lead: [alice@example.com]");
      return roles;
    }
    g.roles().forEach((role, principals) -> {
      roles.add(role);
      if (principals == null || principals.isEmpty()) {
        out.problem("$.governance.roles." + role, "has no principals", "list who holds the role, e.g. [alice@example.com]");
      }
    });
    return roles;
  }

  void checkDecisions(ReleasePolicy p, Set<String> roles) {
    GovernanceSpec g = p.governance();
    if (g == null) {
      return;
    }
    Map<String, List<String>> held = g.roles() == null ? Map.of() : g.roles();
    Map<String, GovernanceSpec.DecisionRight> decisions = g.decisions() == null ? Map.of() : g.decisions();
    decisions.forEach((kind, right) -> {
      String path = "$.governance.decisions." + kind;
      if (!GovernanceSpec.DECISION_KINDS.contains(kind)) {
        String near = Suggestions.nearest(kind, GovernanceSpec.DECISION_KINDS);
        out.problem(path, "unknown decision '" + kind + "'", near != null ? "did you mean '" + near + "'?"
            : "use one of " + GovernanceSpec.DECISION_KINDS);
        return;
      }
      if (right == null || right.roles() == null || right.roles().isEmpty()) {
        out.problem(path + ".roles", "names no role", "list the roles that may take this decision");
        return;
      }
      for (int i = 0; i < right.roles().size(); i++) {
        if (!roles.contains(right.roles().get(i))) {
          out.problem(path + ".roles[" + i + "]", "missing role '" + right.roles().get(i) + "'",
              "declare it under governance.roles, or use one of " + roles);
        }
      }
      out.duration(path + ".deadline", right.deadline(), false, Duration.ofSeconds(1));
      if (right.notBy() != null) {
        for (int i = 0; i < right.notBy().size(); i++) {
          if (!GovernanceSpec.DecisionRight.RELEASER.equals(right.notBy().get(i))) {
            out.problem(path + ".notBy[" + i + "]", "'" + right.notBy().get(i) + "' is not someone Ripcord can tell"
                + " apart", "write notBy: [releaser] (the person who started the release)");
          }
        }
        if (kind.equals("pause")) {
          out.problem(path + ".notBy", "does not apply to pause (holding exposure is always safe)", "remove it");
        }
      }
      if (kind.equals("rerelease")) {
        // The deadline is how long a rolled-back release stays open for a re-release; nothing else applies.
        for (String[] unused : new String[][] {{"onTimeout", right.onTimeout()},
            {"quorum", right.quorum() == null ? null : "x"}, {"escalation", right.escalation() == null ? null : "x"},
            {"requireRoles", right.requireRoles() == null ? null : "x"}}) {
          if (unused[1] != null) {
            out.problem(path + "." + unused[0], "does not apply to rerelease (one person with the right re-releases; at"
                + " the deadline the release closes rolled back)", "remove it");
          }
        }
        return;
      }
      if (right.quorum() != null) {
        long people = right.roles().stream().filter(held::containsKey)
            .flatMap(r -> held.get(r) == null ? java.util.stream.Stream.empty() : held.get(r).stream())
            .distinct().count();
        if (right.quorum() < 1 || right.quorum() > people) {
          out.problem(path + ".quorum", right.quorum() + " is not between 1 and the " + people + " people holding "
              + right.roles(), "lower the quorum or give the roles more principals");
        }
      }
      if (right.requireRoles() != null) {
        List<String> may = new ArrayList<>(right.roles());
        if (right.escalation() != null) {
          right.escalation().stream().filter(e -> e != null && e.roles() != null).forEach(e -> may.addAll(e.roles()));
        }
        for (int i = 0; i < right.requireRoles().size(); i++) {
          String r = right.requireRoles().get(i);
          if (!may.contains(r)) {
            out.problem(path + ".requireRoles[" + i + "]", "role '" + r + "' may not take this decision, so its approval"
                + " can never arrive", "add it to " + path + ".roles, or remove it here");
          } else if (held.get(r) == null || held.get(r).isEmpty()) {
            out.problem(path + ".requireRoles[" + i + "]", "role '" + r + "' has no principals",
                "list who holds it under governance.roles." + r);
          }
        }
        if (new java.util.HashSet<>(right.requireRoles()).size() != right.requireRoles().size()) {
          out.problem(path + ".requireRoles", "names a role twice", "list each role once; use quorum for more people");
        }
        long people = right.requireRoles().stream().filter(held::containsKey)
            .flatMap(r -> held.get(r) == null ? java.util.stream.Stream.empty() : held.get(r).stream())
            .distinct().count();
        if (people < right.requireRoles().size()) {
          out.problem(path + ".requireRoles", "needs " + right.requireRoles().size() + " different people but only "
              + people + " hold " + right.requireRoles(), "give the roles more principals");
        }
        if (right.quorum() != null && right.quorum() < right.requireRoles().size()) {
          out.problem(path + ".quorum", right.quorum() + " is less than the " + right.requireRoles().size()
              + " roles that must each approve", "remove quorum or set it to at least " + right.requireRoles().size());
        }
      }
      if (right.escalation() != null) {
        for (int i = 0; i < right.escalation().size(); i++) {
          GovernanceSpec.Escalation e = right.escalation().get(i);
          String ep = path + ".escalation[" + i + "]";
          if (e == null) {
            out.problem(ep, "is empty", "write {after: 10m, roles: [on-call-manager]}");
            continue;
          }
          out.duration(ep + ".after", e.after(), true, Duration.ofSeconds(1));
          if (e.roles() == null || e.roles().isEmpty()) {
            out.problem(ep + ".roles", "names no role", "the roles told (and allowed to decide) at this step");
          } else {
            for (int j = 0; j < e.roles().size(); j++) {
              if (!roles.contains(e.roles().get(j))) {
                out.problem(ep + ".roles[" + j + "]", "missing role '" + e.roles().get(j) + "'",
                    "declare it under governance.roles, or use one of " + roles);
              }
            }
          }
        }
      }
      out.oneOf(path + ".onTimeout", right.onTimeout(), ON_TIMEOUT);
      if (right.deadline() != null && right.onTimeout() == null) {
        out.problem(path + ".onTimeout", "is required with a deadline", "say what happens then: " + ON_TIMEOUT);
      }
    });
    boolean needsRollbackRight = p.criteria() != null && p.criteria().stream()
        .anyMatch(c -> c != null && c.actionType() == Action.ROLLBACK_AFTER_APPROVAL);
    if (needsRollbackRight && !decisions.containsKey("rollback")) {
      out.problem("$.governance.decisions.rollback", "is required: a criterion's action is rollback-after-approval",
          "name the roles that approve rollbacks, with a deadline and onTimeout");
    }
    boolean needsPromote = p.stages() != null && p.stages().stream().anyMatch(s -> s != null && s.needsApproval());
    if (needsPromote && !decisions.containsKey("promote")) {
      out.problem("$.governance.decisions.promote", "is required: a stage has approval: true",
          "name the roles that approve promotion");
    }
    boolean needsResume = p.criteria() != null && p.criteria().stream()
        .anyMatch(c -> c != null && c.actionType() == Action.PAUSE_AND_INVESTIGATE);
    if (needsResume && !decisions.containsKey("resume")) {
      out.problem("$.governance.decisions.resume", "is required: a criterion's action is pause-and-investigate",
          "name the roles that may resume after an investigation");
    }
  }
}
