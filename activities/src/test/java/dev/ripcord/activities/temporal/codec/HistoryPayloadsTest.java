package dev.ripcord.activities.temporal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import dev.ripcord.activities.temporal.RipcordDataConverter;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.History;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Whole histories decoded for the readers that parse payloads themselves. */
class HistoryPayloadsTest {
  static final Path STORED = Path.of("../workflows/src/test/resources/histories");

  /** Every payload of {@code m} encoded by {@code codec}: a history as a worker with encryption on writes it. */
  static Message encodeAll(Message m, CodecDataConverter codec) {
    if (m instanceof Payload p) {
      return codec.encode(List.of(p)).get(0);
    }
    Message.Builder b = m.toBuilder();
    for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
      if (f.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      if (f.getKey().isRepeated()) {
        List<?> list = (List<?>) f.getValue();
        for (int i = 0; i < list.size(); i++) {
          b.setRepeatedField(f.getKey(), i, encodeAll((Message) list.get(i), codec));
        }
      } else {
        b.setField(f.getKey(), encodeAll((Message) f.getValue(), codec));
      }
    }
    return b.build();
  }

  @Test
  void anEncryptedHistoryDecodesToTheOriginalEveryPayloadIncluded() throws Exception {
    String json = Files.readString(STORED.resolve("verified-tokens-decide.json"));
    WorkflowExecutionHistory plain = WorkflowExecutionHistory.fromJson(json, "verified-tokens-decide");
    DataConverter dc = RipcordDataConverter.create(Optional.of(AesGcmCodecTest.keys(AesGcmCodecTest.newFile("k1"))));
    History sealed = (History) encodeAll(plain.getHistory(), (CodecDataConverter) dc);
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
