package dev.ripcord.workflows.ledger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The ledger's arithmetic and who may label, without Temporal. */
class AccuracyLedgerTest {
  private static ReleaseFacts facts(String id, String policy, List<String> fired, Long bad) {
    return new ReleaseFacts(id, policy, "sha256:p", fired.isEmpty() ? "COMPLETED" : "ROLLED_BACK", fired,
        "2026-12-01T10:00:00Z", "2026-12-01T10:10:00Z", fired.isEmpty() ? null : "2026-12-01T10:20:00Z",
        fired.isEmpty() ? null : "2026-12-01T10:22:00Z", bad, Map.of("safety-lead", List.of("alice@example.com")),
        false);
  }

  private static AccuracyLedger.Entry entry(String id, String policy, String outcome, List<String> fired, Long bad,
      String at, String foundAt) {
    return new AccuracyLedger.Entry(id, outcome, "alice@example.com", null, null, at, foundAt,
        facts(id, policy, fired, bad));
  }

  @Test
  void perPolicyAndCriterionItCountsOutcomesDetectionAndHarm() {
    List<AccuracyLedger.Entry> entries = List.of(
        entry("r1", "chat", "rollback-was-right", List.of("hallucination-limit"), 40L, "2026-12-01T12:00:00Z", null),
        entry("r2", "chat", "false-rollback", List.of("hallucination-limit", "latency"), 10L, "2026-12-02T12:00:00Z",
            null),
        entry("r3", "chat", "missed-incident", List.of(), null, "2026-12-03T12:00:00Z", "2026-12-01T14:10:00Z"),
        entry("r4", "image", "incident-prevented", List.of("nsfw"), 3L, "2026-12-03T12:00:00Z", null));
    AccuracyLedger.Accuracy all = AccuracyLedger.of(entries, null, null);
    assertEquals(4, all.releases());
    var chat = all.rows().stream().filter(r -> r.policy().equals("chat") && r.criterion().equals("*")).findFirst()
        .orElseThrow();
    assertEquals(3, chat.labelled());
    assertEquals(1, chat.rightRollbacks());
    assertEquals(1, chat.falseRollbacks());
    assertEquals(1, chat.missedIncidents());
    assertEquals(0.5, chat.falseRollbackShare());
    assertEquals(10 * 60_000L, chat.meanTimeToDetectMillis(), "10 minutes from exposure to the trigger");
    assertEquals(50L, chat.badOutputs());
    assertEquals(4 * 3600_000L, chat.meanTimeUnseenMillis(), "the missed incident went unseen 4 h");
    var limit = all.rows().stream().filter(r -> r.criterion().equals("hallucination-limit")).findFirst().orElseThrow();
    assertEquals(2, limit.labelled());
    var none = all.rows().stream().filter(r -> r.criterion().equals(AccuracyLedger.NONE)).findFirst().orElseThrow();
    assertEquals(1, none.missedIncidents());
    assertNull(none.falseRollbackShare(), "it acted on none of them");

    AccuracyLedger.Accuracy image = AccuracyLedger.of(entries, "image", null);
    assertEquals(1, image.releases());
    assertTrue(image.rows().stream().allMatch(r -> r.policy().equals("image")));
    assertEquals(2, AccuracyLedger.of(entries, null, "2026-12-03T00:00:00Z").releases());
  }

  @Test
  void onlyTheRollbackRightsPrincipalsMayLabelAFinishedDeclaredRelease() {
    ReleaseFacts f = facts("r1", "chat", List.of("hallucination-limit"), 1L);
    assertNull(AccuracyLedger.refusal(new LabelRequest("r1", "false-rollback", "alice@example.com", null, null, null),
        f));
    assertTrue(AccuracyLedger.refusal(new LabelRequest("r1", "false-rollback", "mallory@example.com", null, null,
        null), f).startsWith("mallory@example.com may not label r1: labels come from the roles holding its rollback"
        + " right, [safety-lead]"));
    assertTrue(AccuracyLedger.refusal(new LabelRequest("r1", "false-rollback", "alice@example.com", "on-call", null,
        null), f) != null, "not in that role");
    ReleaseFacts running = new ReleaseFacts("r2", "chat", "h", "RUNNING", List.of(), null, null, null, null, null,
        f.labellers(), false);
    assertTrue(AccuracyLedger.refusal(new LabelRequest("r2", "false-rollback", "alice@example.com", null, null, null),
        running).contains("has not ended"));
    assertTrue(LabelRequest.check(new LabelRequest("r1", "oops", null, null, null, "yesterday")).containsAll(List.of(
        "'outcome' must be one of [rollback-was-right, false-rollback, missed-incident, incident-prevented]",
        "'by' is required: who labels it, as listed in the release's governance.roles, e.g. \"alice@example.com\""
            + " (or, under verified identity, 'token')",
        "'foundAt' must be an ISO-8601 instant such as 2026-12-01T10:00:00Z",
        "'foundAt' only goes with outcome missed-incident")));
  }
}
