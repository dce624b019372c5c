package dev.ripcord.activities.temporal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.activities.temporal.RipcordDataConverter;
import io.temporal.api.history.v1.History;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whole histories decoded for the readers that parse payloads themselves. */
class HistoryPayloadsTest {
  static final Path STORED = Path.of("../workflows/src/test/resources/histories");

  @Test
  void anEncryptedHistoryDecodesToTheOriginalEveryPayloadIncluded() throws Exception {
    String json = Files.readString(STORED.resolve("verified-tokens-decide.json"));
    WorkflowExecutionHistory plain = WorkflowExecutionHistory.fromJson(json, "verified-tokens-decide");
    DataConverter dc = RipcordDataConverter.create(Optional.of(AesGcmCodecTest.keys(AesGcmCodecTest.newFile("k1"))));
    CodecDataConverter codec = (CodecDataConverter) dc;
    History sealed = (History) HistoryPayloads.map(plain.getHistory(), p -> codec.encode(List.of(p)).get(0));
    WorkflowExecutionHistory stored = new WorkflowExecutionHistory(sealed, "verified-tokens-decide");
    assertTrue(HistoryPayloads.anyEncrypted(sealed));
    assertTrue(PayloadText.of(plain.getHistory()).stream().anyMatch(t -> t.contains("eyJ")), "tokens in the original");
    for (String t : PayloadText.of(sealed)) {
      assertFalse(t.contains("eyJ"), "no JWT in the encrypted history: " + t);
    }
    WorkflowExecutionHistory read = HistoryPayloads.readable(stored, dc);
    assertEquals(plain.getHistory(), read.getHistory());
    assertSame(plain, HistoryPayloads.readable(plain, dc), "nothing to decode: the same history");
    assertSame(stored, HistoryPayloads.readable(stored, RipcordDataConverter.create(Optional.empty())));
    DataConverter other = RipcordDataConverter.create(Optional.of(AesGcmCodecTest.keys(AesGcmCodecTest.newFile("k2"))));
    IllegalStateException e = assertThrows(IllegalStateException.class, () -> HistoryPayloads.readable(stored, other));
    assertTrue(e.getMessage().contains("start input") && e.getMessage().contains("key 'k1'"), e.getMessage());
  }
}
