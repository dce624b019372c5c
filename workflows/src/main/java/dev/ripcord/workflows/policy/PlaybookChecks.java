package dev.ripcord.workflows.policy;

import static dev.ripcord.workflows.policy.PolicyValidator.NAME;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Checks playbook section. Reports into the one {@link Problems} collector; pure. */
final class PlaybookChecks {
  private final Problems out;

  PlaybookChecks(Problems out) {
    this.out = out;
  }

  void checkPlaybook(PlaybookSpec pb, Set<String> roles) {
    if (pb == null) {
      return;
    }
    if (pb.temporalUi() != null) {
      out.url("$.playbook.temporalUi", pb.temporalUi());
    }
    if (pb.steps() == null || pb.steps().isEmpty()) {
      out.problem("$.playbook.steps", "needs at least one step", "e.g. - {name: page, kind: notify, template: '...'}");
      return;
    }
    List<String> kinds = new ArrayList<>(PlaybookSpec.AUTOMATIC);
    kinds.addAll(PlaybookSpec.HUMAN);
    Set<String> names = new LinkedHashSet<>();
    for (int i = 0; i < pb.steps().size(); i++) {
      PlaybookSpec.Step s = pb.steps().get(i);
      String path = "$.playbook.steps[" + i + "]";
      if (s == null) {
        out.problem(path, "is empty", "write {name, kind, ...}");
        continue;
      }
      if (out.required(path + ".name", s.name(), "name the step, e.g. legal-review")) {
        if (!NAME.matcher(s.name()).matches()) {
          out.problem(path + ".name", "'" + s.name() + "' is not a valid name", "lower-case letters, digits, '.', '_', '-'");
        } else if (!names.add(s.name())) {
          out.problem(path + ".name", "'" + s.name() + "' is used by an earlier step", "step names must be unique");
        }
      }
      if (out.required(path + ".kind", s.kind(), "one of " + String.join(", ", kinds))) {
        out.oneOf(path + ".kind", s.kind(), kinds);
      }
      if (s.after() != null) {
        for (String a : s.after()) {
          if (!names.contains(a) || a.equals(s.name())) {
            out.problem(path + ".after", "'" + a + "' is not an earlier step", "a step can only wait for steps listed above it");
          }
        }
      }
      for (var list : List.of(Map.entry("owners", s.owners() == null ? List.<String>of() : s.owners()),
          Map.entry("escalate", s.escalate() == null ? List.<String>of() : s.escalate()))) {
        for (int j = 0; j < list.getValue().size(); j++) {
          if (!roles.contains(list.getValue().get(j))) {
            out.problem(path + "." + list.getKey() + "[" + j + "]", "missing role '" + list.getValue().get(j) + "'",
                "declare it under governance.roles");
          }
        }
      }
      if (s.isHuman()) {
        if (s.owners() == null || s.owners().isEmpty()) {
          out.problem(path + ".owners", "a human step needs owners", "the roles who close it with the acknowledge signal");
        }
        out.duration(path + ".deadline", s.deadline(), true, Duration.ofMinutes(1));
        out.duration(path + ".remind", s.remind(), false, Duration.ofMinutes(1));
      } else if (s.deadline() != null || s.remind() != null) {
        out.problem(path, "deadline/remind are for human steps", "remove them from this " + s.kind() + " step");
      }
      switch (s.kind() == null ? "" : s.kind()) {
        case "notify" -> out.required(path + ".template", s.template(), "the message, e.g. '{model} rolled back: {link}'");
        case "snapshot-evidence" -> {
          if (out.required(path + ".url", s.url(), "the evidence store's URL")) {
            out.url(path + ".url", s.url());
          }
        }
        case "data-rule" -> {
          if (out.required(path + ".url", s.url(), "the data service that retains or purges outputs")) {
            out.url(path + ".url", s.url());
          }
          if (out.required(path + ".rule", s.rule(), "retain (legal hold) or purge")) {
            out.oneOf(path + ".rule", s.rule(), List.of("retain", "purge"));
          }
        }
        case "verify-recovery" -> out.duration(path + ".within", s.within(), false, Duration.ofSeconds(1));
        default -> { }
      }
    }
  }
}
