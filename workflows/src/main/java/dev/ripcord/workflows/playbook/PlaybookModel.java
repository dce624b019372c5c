package dev.ripcord.workflows.playbook;

import dev.ripcord.workflows.policy.PlaybookSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Where an incident's playbook stands: its steps by name in policy order, their status, and who may close a human
 * step. Pure: no {@code Workflow.*} call; times come in as ISO text.
 */
public final class PlaybookModel {
  private final Map<String, PlaybookStep> steps = new LinkedHashMap<>();

  /** Every step of {@code spec}, waiting for the steps it comes after. */
  public void start(PlaybookSpec spec) {
    for (PlaybookSpec.Step step : spec.steps()) {
      steps.put(step.name(), new PlaybookStep(step.name(), step.kind(), "waiting", step.owners(), null, null, null,
          null));
    }
  }

  public PlaybookStep get(String name) {
    return steps.get(name);
  }

  public boolean isOpen(String name) {
    return steps.get(name).isOpen();
  }

  /** A human step opens at {@code openedAt}, due at {@code due}. */
  public void open(PlaybookSpec.Step step, String openedAt, String due) {
    steps.put(step.name(), new PlaybookStep(step.name(), step.kind(), "open", step.owners(), openedAt, due, null,
        null));
  }

  /** Moves step {@code name} to {@code status}; a step that finishes gets {@code now} as its closing time. */
  public void set(String name, String status, String due, String closedBy, String outcome, String now) {
    PlaybookStep p = steps.get(name);
    boolean closes = status.equals("done") || status.equals("skipped") || status.equals("failed");
    steps.put(name, p.with(status, due == null ? p.due() : due, closedBy, outcome, closes ? now : p.closedAt()));
  }

  public List<String> openNames() {
    return steps.values().stream().filter(PlaybookStep::isOpen).map(PlaybookStep::name).toList();
  }

  public List<String> unfinishedNames() {
    return steps.values().stream().filter(p -> !p.isFinished()).map(PlaybookStep::name).toList();
  }

  /** The unfinished steps as the status line shows them: name, status and due time. */
  public List<String> unfinishedLines() {
    return steps.values().stream().filter(p -> !p.isFinished())
        .map(p -> p.name() + " " + p.status() + (p.due() == null ? "" : " (due " + p.due() + ")")).toList();
  }

  /** "name status, ..." for the audit log's closing entry. */
  public String summary() {
    return steps.values().stream().map(p -> p.name() + " " + p.status()).reduce((a, b) -> a + ", " + b).orElse("");
  }

  /** The roles that may acknowledge {@code step}: its owners, and once it is overdue, the roles it escalates to. */
  public List<String> mayAcknowledge(PlaybookSpec.Step step) {
    List<String> allowed = new ArrayList<>(step.owners());
    if (steps.get(step.name()).status().equals("overdue") && step.escalate() != null) {
      step.escalate().stream().filter(r -> !allowed.contains(r)).forEach(allowed::add);
    }
    return allowed;
  }

  /** The steps as the status query and report show them, or null before the playbook started. */
  public List<PlaybookStep> view() {
    return steps.isEmpty() ? null : List.copyOf(steps.values());
  }
}
