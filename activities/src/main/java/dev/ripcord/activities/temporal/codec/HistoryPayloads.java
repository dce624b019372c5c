package dev.ripcord.activities.temporal.codec;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.History;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.payload.codec.PayloadCodec;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A history with every payload decoded (inputs, results, signals, memos, headers, failures' details), for the code
 * that reads a history's payloads itself rather than through a worker: backtests, evidence pages, reviews. Payloads
 * that were never encoded pass through, so this is safe on any history. A payload this process cannot decrypt (a
 * signal someone sealed with a foreign key, which the release refused) stays as the codec's
 * {@link AesGcmCodec#UNDECODABLE} account of why, read as the workflow read it; a history whose start input cannot be
 * decrypted is refused (the reader holds the wrong keys).
 */
public final class HistoryPayloads {
  private HistoryPayloads() {}

  /** {@code history} decoded by {@code converter}'s codecs; as it is when the converter has none. */
  public static WorkflowExecutionHistory readable(WorkflowExecutionHistory history, DataConverter converter) {
    if (!(converter instanceof PayloadCodec codec) || !anyEncrypted(history.getHistory())) {
      return history;
    }
    History decoded = (History) map(history.getHistory(), p -> codec.decode(List.of(p)).get(0));
    if (decoded.getEventsCount() > 0 && decoded.getEvents(0).hasWorkflowExecutionStartedEventAttributes()) {
      for (Payload p : decoded.getEvents(0).getWorkflowExecutionStartedEventAttributes().getInput().getPayloadsList()) {
        String why = AesGcmCodec.undecodableReason(p);
        if (why != null) {
          throw new IllegalStateException("this history cannot be read: its start input is " + why);
        }
      }
    }
    return new WorkflowExecutionHistory(decoded, history.getWorkflowExecution().getWorkflowId());
  }

  /** Whether any payload in {@code m} is encrypted (so decoding has anything to do). */
  public static boolean anyEncrypted(Message m) {
    if (m instanceof Payload p) {
      return AesGcmCodec.encrypted(p);
    }
    for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
      if (f.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      for (Object v : values(f)) {
        if (anyEncrypted((Message) v)) {
          return true;
        }
      }
    }
    return false;
  }

  /**
   * {@code m} with every payload in it replaced by {@code f}'s answer (the same message where {@code f} changes
   * nothing): decoding a history here, encoding one in tests and tools.
   */
  public static Message map(Message m, UnaryOperator<Payload> f) {
    if (m instanceof Payload p) {
      return f.apply(p);
    }
    Message.Builder b = null;
    for (Map.Entry<FieldDescriptor, Object> field : m.getAllFields().entrySet()) {
      FieldDescriptor fd = field.getKey();
      if (fd.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      List<?> values = values(field);
      for (int i = 0; i < values.size(); i++) {
        Message v = (Message) values.get(i);
        Message d = map(v, f);
        if (d != v) {
          b = b == null ? m.toBuilder() : b;
          if (fd.isRepeated()) {
            b.setRepeatedField(fd, i, d);
          } else {
            b.setField(fd, d);
          }
        }
      }
    }
    return b == null ? m : b.build();
  }

  private static List<?> values(Map.Entry<FieldDescriptor, Object> f) {
    return f.getKey().isRepeated() ? (List<?>) f.getValue() : List.of(f.getValue());
  }
}
