package dev.ripcord.workflows.intake;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.google.protobuf.ByteString;
import dev.ripcord.workflows.audit.AuditText;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.RawValue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;

/**
 * Reads a signal's payload as the sender wrote it. Signal handlers take a {@link RawValue}, so the SDK never drops a
 * payload it cannot convert (another encoding, nesting deeper than Jackson allows): every payload reaches the
 * workflow, which either reads it here or audits why not. Reading is strict: one JSON document of at most
 * {@link #MAX_BYTES} bytes, nested at most {@link #MAX_DEPTH} deep, no key twice in one object. Pure: no
 * {@code Workflow.*} call.
 */
public final class SignalPayloads {
  /** The largest payload a signal may carry; Temporal's own limit is far above, the audit's is far below. */
  public static final int MAX_BYTES = 128 * 1024;
  public static final int MAX_DEPTH = 32;
  private static final String JSON_PLAIN = "json/plain";
  private static final String BINARY_NULL = "binary/null";
  /** What the payload codec hands over for a payload it could not decrypt, with the reason as its data. */
  private static final String UNDECODABLE = "ripcord/undecodable";
  private static final ObjectMapper STRICT = JsonMapper.builder(JsonFactory.builder()
          .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(MAX_DEPTH)
              .maxStringLength(MAX_BYTES).maxNumberLength(100).build())
          .build())
      .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
      .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
      .disable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
      .build();

  private SignalPayloads() {}

  /** The payload as JSON, or why it cannot be read ({@code node} is null then; a missing payload is JSON null). */
  public record Read(JsonNode node, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  /** Reads a payload as the SDK hands it over (null when the signal carried no payload at all). */
  public static Read read(RawValue raw) {
    if (raw == null || raw.getPayload() == null) {
      return new Read(STRICT.nullNode(), null);
    }
    Payload p = raw.getPayload();
    String encoding = p.getMetadataOrDefault("encoding", ByteString.EMPTY).toString(StandardCharsets.UTF_8);
    ByteString data = p.getData();
    if (BINARY_NULL.equals(encoding)) {
      return new Read(STRICT.nullNode(), null); // how SDKs send a null argument
    }
    if (UNDECODABLE.equals(encoding)) {
      return new Read(null, "payload cannot be decrypted (the reason follows); send it sealed with the namespace's"
          + " codec keys");
    }
    if (!JSON_PLAIN.equals(encoding)) {
      return new Read(null, "payload encoded as '" + AuditText.cap(encoding, 40) + "' (" + data.size()
          + " bytes); send JSON (encoding json/plain), e.g. temporal workflow signal --input '{\"by\": \"...\"}'");
    }
    if (data.size() > MAX_BYTES) {
      return new Read(null, "payload of " + data.size() + " bytes is larger than the " + MAX_BYTES
          + "-byte limit; send only the fields the signal takes");
    }
    try (JsonParser parser = STRICT.createParser(data.toByteArray())) {
      JsonNode node = STRICT.readTree(parser);
      if (parser.nextToken() != null) {
        return new Read(null, "payload holds more than one JSON value; send one object");
      }
      return new Read(node == null ? STRICT.nullNode() : node, null);
    } catch (IOException | RuntimeException e) {
      String why = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().lines().findFirst()
          .orElse("");
      return new Read(null, "payload is not valid JSON: " + AuditText.cap(why, 200));
    }
  }

  /**
   * The payload as the SDK's standard converter read it before {@code strict-inputs} (duplicate keys: the last
   * wins; no size limit), or null when the SDK could not read it at all (it then dropped the signal unseen).
   */
  public static JsonNode asBefore(RawValue raw) {
    if (raw == null || raw.getPayload() == null) {
      return STRICT.nullNode();
    }
    try {
      return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(raw.getPayload(), JsonNode.class, JsonNode.class);
    } catch (RuntimeException e) {
      return null;
    }
  }

  /** What a payload looked like, for the audit: its start, never more than a few hundred characters. */
  public static String describe(RawValue raw) {
    if (raw == null || raw.getPayload() == null) {
      return "(none)";
    }
    ByteString data = raw.getPayload().getData();
    ByteString head = data.substring(0, Math.min(data.size(), AuditText.EXCERPT));
    return AuditText.excerpt(head.toString(StandardCharsets.UTF_8)) + (data.size() > head.size()
        ? " (" + data.size() + " bytes)" : "");
  }

  /** A JSON value as a signal argument: what clients (the CLI, tests, the ingress) send. */
  public static RawValue json(Object value) {
    return new RawValue(DefaultDataConverter.STANDARD_INSTANCE.toPayload(value).orElseThrow());
  }
}
