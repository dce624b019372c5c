package dev.ripcord.activities.temporal.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.google.protobuf.ByteString;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.history.v1.History;
import io.temporal.common.WorkflowExecutionHistory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A history with every signed token in its JSON payloads replaced by {@code redacted:<first 12 hex of its SHA-256>}
 * (the same token always gives the same mark, so a reviewer can still tell tokens apart): for sharing an export
 * outside the people who may read the namespace, and for evidence bundles. Such a copy reads and reviews as before;
 * it replays too when its release recorded what each token proved (marker {@code verification-recorded}), and not
 * where tokens were verified again on replay, by releases from before it ({@link #replayable}).
 */
public final class TokenRedaction {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern JWT = Pattern.compile("[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{8,}");

  private TokenRedaction() {}

  /** The version markers after which a redacted history still replays (the release's and the ledger's). */
  static final java.util.List<String> RECORDED = java.util.List.of("verification-recorded",
      "label-verification-recorded");

  /** Whether {@code history}, redacted, replays as it is: it holds no token, or recorded what its tokens proved. */
  public static boolean replayable(WorkflowExecutionHistory history) {
    for (var e : history.getEvents()) {
      if (e.hasMarkerRecordedEventAttributes() && "Version".equals(e.getMarkerRecordedEventAttributes()
          .getMarkerName())) {
        var id = e.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId");
        if (id != null && id.getPayloadsCount() > 0 && RECORDED.stream().anyMatch(
            r -> id.getPayloads(0).getData().toStringUtf8().contains(r))) {
          return true;
        }
      }
    }
    // No marker: replayable only when redacting changes nothing (the map returns the same history).
    return HistoryPayloads.map(history.getHistory(), TokenRedaction::payload) == history.getHistory();
  }

  /** {@code history} (decoded) with its tokens redacted. */
  public static WorkflowExecutionHistory of(WorkflowExecutionHistory history) {
    History h = (History) HistoryPayloads.map(history.getHistory(), TokenRedaction::payload);
    return new WorkflowExecutionHistory(h, history.getWorkflowExecution().getWorkflowId());
  }

  static Payload payload(Payload p) {
    if (!"json/plain".equals(p.getMetadataOrDefault("encoding", ByteString.EMPTY).toStringUtf8())) {
      return p;
    }
    try {
      JsonNode node = JSON.readTree(p.getData().toByteArray());
      JsonNode redacted = redact(node);
      return redacted == node ? p : p.toBuilder()
          .setData(ByteString.copyFrom(JSON.writeValueAsBytes(redacted))).build();
    } catch (IOException e) {
      return p;
    }
  }

  /** {@code n} with its tokens marked; the same node when it holds none. */
  static JsonNode redact(JsonNode n) {
    if (n.isTextual()) {
      return JWT.matcher(n.asText().strip()).matches() ? TextNode.valueOf(mark(n.asText().strip())) : n;
    }
    if (n.isObject()) {
      ObjectNode copy = null;
      for (Iterator<Map.Entry<String, JsonNode>> it = n.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        JsonNode r = redact(e.getValue());
        if (r != e.getValue()) {
          copy = copy == null ? ((ObjectNode) n).deepCopy() : copy;
          copy.set(e.getKey(), r);
        }
      }
      return copy == null ? n : copy;
    }
    if (n.isArray()) {
      ArrayNode copy = null;
      for (int i = 0; i < n.size(); i++) {
        JsonNode r = redact(n.get(i));
        if (r != n.get(i)) {
          copy = copy == null ? ((ArrayNode) n).deepCopy() : copy;
          copy.set(i, r);
        }
      }
      return copy == null ? n : copy;
    }
    return n;
  }

  static String mark(String token) {
    try {
      byte[] d = MessageDigest.getInstance("SHA-256").digest(token.getBytes(StandardCharsets.UTF_8));
      return "redacted:" + HexFormat.of().formatHex(d, 0, 6);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
