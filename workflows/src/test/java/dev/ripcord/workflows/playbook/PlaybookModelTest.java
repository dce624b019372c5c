package dev.ripcord.workflows.playbook;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.policy.PlaybookSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Where a playbook stands, without Temporal. */
class PlaybookModelTest {
  private static final PlaybookSpec.Step PAGE = new PlaybookSpec.Step("page", "notify", null, List.of(), null, null,
      null, null, null, null, null);
  private static final PlaybookSpec.Step ACK = new PlaybookSpec.Step("ack", "acknowledge", List.of("page"),
      List.of("oncall"), "30m", null, List.of("safety-lead"), null, null, null, null);
  private static final PlaybookSpec SPEC = new PlaybookSpec(null, List.of(PAGE, ACK));

  @Test
  void stepsStartWaitingAndCloseWithATime() {
    PlaybookModel m = new PlaybookModel();
    assertNull(m.view(), "nothing to show before the playbook starts");
    m.start(SPEC);
    assertEquals(List.of("waiting", "waiting"), m.view().stream().map(PlaybookStep::status).toList());
    m.set("page", "running", null, null, null, "2026-12-01T10:00:00Z");
    assertNull(m.get("page").closedAt());
    m.set("page", "done", null, null, "notified", "2026-12-01T10:00:01Z");
    assertEquals("2026-12-01T10:00:01Z", m.get("page").closedAt());
    assertEquals("page done, ack waiting", m.summary());
    assertEquals(List.of("ack"), m.unfinishedNames());
  }

  @Test
  void anOverdueStepMayAlsoBeClosedByTheRolesItEscalatesTo() {
    PlaybookModel m = new PlaybookModel();
    m.start(SPEC);
    m.open(ACK, "2026-12-01T10:00:00Z", "2026-12-01T10:30:00Z");
    assertEquals(List.of("ack"), m.openNames());
    assertEquals(List.of("oncall"), m.mayAcknowledge(ACK));
    assertEquals(List.of("page waiting", "ack open (due 2026-12-01T10:30:00Z)"), m.unfinishedLines());
    m.set("ack", "overdue", "2026-12-01T10:30:00Z", null, null, "2026-12-01T10:30:00Z");
    assertTrue(m.isOpen("ack"), "overdue is still open");
    assertEquals(List.of("oncall", "safety-lead"), m.mayAcknowledge(ACK));
    m.set("ack", "done", null, "sam", "acknowledged", "2026-12-01T10:31:00Z");
    assertEquals(List.of(), m.openNames());
    assertEquals("sam", m.get("ack").closedBy());
  }
}
