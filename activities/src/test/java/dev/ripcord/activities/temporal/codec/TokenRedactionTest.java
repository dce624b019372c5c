package dev.ripcord.activities.temporal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Files;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Tokens out of a history to be shared: every signed token marked, the rest of every payload as it was. */
class TokenRedactionTest {
  @Test
  void everyTokenOfAVerifiedHistoryIsMarkedAndNothingElseChanges() throws Exception {
    WorkflowExecutionHistory h = WorkflowExecutionHistory.fromJson(Files.readString(HistoryPayloadsTest.STORED
        .resolve("verified-tokens-decide.json")));
    List<String> before = PayloadText.of(h.getHistory());
    assertTrue(before.stream().anyMatch(t -> t.contains("eyJ")), "the stored history carries tokens");
    WorkflowExecutionHistory r = TokenRedaction.of(h);
    List<String> after = PayloadText.of(r.getHistory());
    assertEquals(before.size(), after.size());
    for (int i = 0; i < after.size(); i++) {
      assertFalse(after.get(i).contains("eyJ"), after.get(i));
      if (!before.get(i).contains("eyJ")) {
        assertEquals(before.get(i), after.get(i), "a payload without a token is untouched");
      }
    }
    assertTrue(after.stream().anyMatch(t -> t.matches("(?s).*\"token\":\"redacted:[0-9a-f]{12}\".*")),
        after.toString());
    assertEquals(h.getEvents().size(), r.getEvents().size());
  }
}
