package dev.ripcord.workflows.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.release.ReleaseWorkflow;
import io.temporal.workflow.SignalMethod;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The one list of decision kinds, and that what reads it agrees with it. */
class DecisionKindTest {
  @Test
  void theKindsAreTheProductsSignalNames() {
    assertEquals(List.of("approve", "reject", "pause", "resume", "rollback", "investigate"), DecisionKind.signals());
    List<String> typed = Arrays.stream(ReleaseWorkflow.class.getMethods())
        .filter(m -> m.isAnnotationPresent(SignalMethod.class)).map(m -> m.getAnnotation(SignalMethod.class).name())
        .toList();
    assertTrue(typed.containsAll(DecisionKind.signals()), "each kind keeps its typed signal: " + typed);
    assertEquals(DecisionKind.ROLLBACK, DecisionKind.of("rollback"));
    assertNull(DecisionKind.of("promote"), "promote is a right, answered by approve or reject");
  }

  @Test
  void eachKindSaysWhichFieldsItsPayloadTakes() {
    assertEquals(List.of("by", "role", "comment"), DecisionKind.APPROVE.fields(true, false));
    assertEquals(List.of("token", "by", "role", "comment", "now"), DecisionKind.ROLLBACK.fields(true, true));
    assertEquals(List.of("by", "role", "comment"), DecisionKind.ROLLBACK.fields(false, false),
        "without break-glass, 'now' is unknown");
    assertEquals(List.of("by", "role", "comment", "outcome"), DecisionKind.INVESTIGATE.fields(true, false));
    HumanDecisions.Parsed p = HumanDecisions.parse("pause", new com.fasterxml.jackson.databind.ObjectMapper()
        .createObjectNode().put("by", "bob@example.com").put("outcome", "continue"));
    assertEquals("unknown field 'outcome' (fields are by, role, comment)", p.problem());
  }

  @Test
  void eachKindIsDocumentedForPeople() throws Exception {
    String deciding = Files.readString(Path.of("../docs/deciding.md"));
    for (DecisionKind k : DecisionKind.values()) {
      assertTrue(deciding.contains("`" + k.signal() + "`"), k.signal() + " in docs/deciding.md");
    }
  }
}
