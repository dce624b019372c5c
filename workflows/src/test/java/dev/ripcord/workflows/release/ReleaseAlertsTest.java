package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Alerts pushed by Alertmanager (the {@code alert} signal) drive the action the policy assigns to them. */
class ReleaseAlertsTest {
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness();

  private static Map<String, String> alert(String name, String status) {
    return Map.of("alertname", name, "status", status, "summary", "safety filter blocks 4x baseline");
  }

  @Test
  void aFiringAlertWhoseRuleSaysRollbackRollsBackAtOnceAndItsRepeatsAreIgnored() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().alert("ModelSafetySpike", "rollback").build());
    h.env.sleep(Duration.ofMinutes(3));
    wf.alert(json(alert("ModelSafetySpike", "firing")));
    wf.alert(json(alert("ModelSafetySpike", "firing"))); // Alertmanager's repeat_interval
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.ROLLED_BACK, r.state());
    assertEquals(List.of(10, 0), h.router.effectiveWeights());
    List<String> triggers = messages(r.audit(), "TRIGGER");
    assertEquals(1, triggers.size(), "acted on once: " + triggers);
    assertTrue(triggers.get(0).contains("alert ModelSafetySpike (safety filter blocks 4x baseline) is firing"),
        triggers.get(0));
    assertTrue(messages(r.audit(), "STATE").stream().anyMatch(m -> m.contains("automatic rollback: alert:ModelSafetySpike")),
        r.audit().toString());
  }

  @Test
  void anAlertWhoseRuleNeedsApprovalWaitsForAPerson() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().alert("LatencyRegression", "rollback-after-approval").build());
    h.env.sleep(Duration.ofMinutes(2));
    wf.alert(json(alert("LatencyRegression", "firing")));
    h.env.sleep(Duration.ofSeconds(30));
    assertEquals(ReleaseState.AWAITING_ROLLBACK_APPROVAL, wf.status().state());
    assertEquals(List.of("alert:LatencyRegression"), wf.status().waitingFor().criteria());

    wf.approve(json(Map.of("by", "carol@example.com", "role", "on-call")));
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.ROLLED_BACK, r.state());
  }

  @Test
  void unknownResolvedAndMalformedAlertsAreAuditedAndChangeNothing() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().alert("ModelSafetySpike", "rollback").build());
    h.env.sleep(Duration.ofMinutes(2));
    wf.alert(json(alert("DiskFull", "firing")));
    wf.alert(json(Map.of("alertname", "ModelSafetySpike", "status", "burning")));
    wf.alert(json(List.of(1, 2)));
    wf.alert(json(alert("ModelSafetySpike", "resolved")));
    ReleaseReport r = h.result(wf);

    assertEquals(ReleaseState.COMPLETED, r.state(), "no alert the policy acts on fired");
    List<String> refused = messages(r.audit(), "REFUSED");
    assertEquals(3, refused.size(), refused.toString());
    assertTrue(refused.get(0).contains("alert DiskFull") && refused.get(0).contains("add observations.alerts"),
        refused.get(0));
    assertTrue(refused.get(1).contains("status must be \"firing\" or \"resolved\""), refused.get(1));
    assertTrue(refused.get(2).contains("must be a JSON object"), refused.get(2));
  }
}
