package dev.ripcord.workflows.release;

import dev.ripcord.workflows.playbook.PlaybookStep;
import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.activity.NotifierActivities.Notification;
import dev.ripcord.workflows.policy.PlaybookSpec;
import dev.ripcord.workflows.policy.PlaybookSpec.Step;
import dev.ripcord.workflows.policy.PolicyValidator;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The incident playbook: parallel and ordered steps, evidence, the data rule, recovery, human steps with deadlines. */
class ReleasePlaybookTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  static final PlaybookSpec PLAYBOOK = new PlaybookSpec("http://temporal-ui.test:8080", List.of(
      new Step("page", "notify", null, List.of("on-call"), null, null, null,
          "{model} {candidate} at {weight} %: {reason} {link}", null, null, null),
      new Step("evidence", "snapshot-evidence", null, null, null, null, null, null, "http://evidence.test/store", null,
          null),
      new Step("hold-outputs", "data-rule", List.of("evidence"), null, null, null, null, null,
          "http://data.test/rules", "retain", null),
      new Step("recovered", "verify-recovery", null, null, null, null, null, null, null, null, "2m"),
      new Step("ack", "acknowledge", null, List.of("on-call"), "15m", "5m", List.of("safety-lead"), null, null, null,
          null),
      new Step("regulator", "regulator-report", List.of("ack"), List.of("safety-lead"), "72h", "24h", null, null, null,
          null, null)));

  private static PlaybookStep step(ReleaseWorkflow wf, String name) {
    return wf.status().playbook().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  private List<Notification> playbookMessages() {
    return h.notifier.sent().stream().filter(n -> n.event().equals("playbook")).toList();
  }

  @Test
  void aRollbackRunsThePlaybookAndHumanStepsStayOpenUntilAcknowledged() {
    h.observations.badFromStage("canary");
    ReleasePolicy p = PolicyBuilder.chat().build().withPlaybook(PLAYBOOK);
    assertEquals(List.of(), PolicyValidator.validate(p));
    ReleaseWorkflow wf = h.start(p);
    h.env.sleep(Duration.ofMinutes(6));

    assertEquals(ReleaseState.ROLLED_BACK, wf.status().state());
    assertEquals("done", step(wf, "page").status());
    assertEquals("done", step(wf, "evidence").status());
    assertEquals("done", step(wf, "hold-outputs").status());
    assertEquals("done", step(wf, "recovered").status(), step(wf, "recovered").outcome());
    assertTrue(step(wf, "recovered").outcome().contains("hallucination on the baseline 5.00 <= 8.0"),
        step(wf, "recovered").outcome());
    assertEquals("open", step(wf, "ack").status());
    assertEquals("waiting", step(wf, "regulator").status(), "ordered after the acknowledgement");
    assertTrue(wf.status().line().contains("playbook: ack open (due "), wf.status().line());

    Notification page = playbookMessages().stream().filter(n -> "page".equals(n.facts().get("step"))).findFirst()
        .orElseThrow();
    assertEquals("{model} {candidate} at {weight} %: {reason} {link}", page.spec().templates().get("playbook"));
    assertEquals("http://temporal-ui.test:8080/namespaces/default/workflows/release-chat-v2", page.facts().get("link"));
    assertEquals(1, h.playbook.snapshots().size());
    var snapshot = h.playbook.snapshots().get(0);
    assertTrue(snapshot.history().startsWith("temporal://default/release-chat-v2?firstRunId="), snapshot.history());
    assertTrue(snapshot.policyHash().startsWith("sha256:") && !snapshot.decisions().isEmpty());
    assertEquals(1, h.playbook.dataRules().size(), "the data rule is applied once");
    var rule = h.playbook.dataRules().get(0);
    assertEquals("retain", rule.rule());
    assertEquals("v2", rule.version());
    assertEquals(wf.status().mitigatedAt(), rule.to());

    h.env.sleep(Duration.ofMinutes(12)); // past the acknowledgement's 15 min deadline: reminders, then escalation
    assertEquals("overdue", step(wf, "ack").status());
    assertTrue(h.notifier.events().contains("escalation"), h.notifier.events().toString());
    long reminders = playbookMessages().stream().filter(n -> n.fallback().startsWith("Reminder")).count();
    assertEquals(3, reminders, "reminded at 5, 10 and 15 minutes");

    wf.acknowledge(json(Map.of("by", "bob@example.com", "step", "ack"))); // product owner: not an owner
    wf.acknowledge(json(Map.of("by", "carol@example.com", "step", "nope")));
    wf.acknowledge(json(Map.of("step", "ack")));
    wf.acknowledge(json(Map.of("by", "alice@example.com", "step", "ack", "comment", "escalated to me, on it")));
    h.env.sleep(Duration.ofMinutes(1));
    assertEquals("done", step(wf, "ack").status());
    assertEquals("alice@example.com", step(wf, "ack").closedBy());
    assertEquals("open", step(wf, "regulator").status());

    wf.acknowledge(json(Map.of("by", "alice@example.com", "step", "regulator", "comment", "report REF-2026-114 filed")));
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    List<String> refused = messages(r.audit(), "REFUSED");
    assertEquals(3, refused.size(), refused.toString());
    assertTrue(refused.get(0).contains("bob@example.com") || refused.get(0).contains("refused"), refused.get(0));
    assertTrue(refused.get(1).contains("step 'nope' is not in the playbook"), refused.get(1));
    assertTrue(refused.get(2).contains("malformed 'acknowledge' signal refused"), refused.get(2));
    assertTrue(messages(r.audit(), "PLAYBOOK").stream().anyMatch(m -> m.contains("regulator-report 'regulator' done")
        && m.contains("REF-2026-114")), r.audit().toString());
    assertTrue(messages(r.audit(), "PLAYBOOK").get(messages(r.audit(), "PLAYBOOK").size() - 1)
        .startsWith("playbook finished"));
  }

  @Test
  void aHealthyReleaseNeverStartsThePlaybook() {
    ReleasePolicy p = PolicyBuilder.chat().build().withPlaybook(PLAYBOOK);
    ReleaseReport r = h.result(h.start(p));
    assertEquals(ReleaseState.COMPLETED, r.state());
    assertTrue(messages(r.audit(), "PLAYBOOK").isEmpty());
    assertTrue(h.playbook.calls().isEmpty());
  }
}
