package dev.ripcord.workflows.release;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.protobuf.ByteString;
import dev.ripcord.workflows.approval.HumanDecisions;
import dev.ripcord.workflows.approval.RereleaseRequest;
import dev.ripcord.workflows.audit.AuditText;
import dev.ripcord.workflows.decision.Observations;
import dev.ripcord.workflows.intake.PushedAlert;
import dev.ripcord.workflows.intake.SignalPayloads;
import dev.ripcord.workflows.testing.PolicyBuilder;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.RawValue;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Every parser a signal payload meets answers with a value or a bounded problem, never an exception, whatever bytes
 * arrive under whatever encoding; and what the audit would quote of it stays bounded.
 */
class SignalPayloadProperties {
  private static final dev.ripcord.workflows.policy.ReleasePolicy POLICY = PolicyBuilder.chat().pushed().build();

  @Property(tries = 2000)
  void noPayloadCrashesAParser(@ForAll("payloads") RawValue raw) {
    SignalPayloads.Read r = SignalPayloads.read(raw);
    assertTrue(r.ok() || r.problem().length() < 600, r.problem());
    assertTrue(SignalPayloads.describe(raw).length() <= AuditText.EXCERPT + 40, "bounded quote");
    if (!r.ok()) {
      return;
    }
    JsonNode n = r.node();
    for (String kind : dev.ripcord.workflows.approval.DecisionKind.signals()) {
      HumanDecisions.Parsed p = HumanDecisions.parse(kind, n);
      assertTrue(p.ok() || p.problem().length() < 4000, p.problem());
    }
    PushedAlert.parse(n);
    RereleaseRequest.parse(n);
    Observations.Parsed o = Observations.parse(n, POLICY);
    assertTrue(o.ok() || o.problem().length() <= 1000, o.problem());
    if (o.ok()) {
      Observations.placement(o.observation(), "canary", 0, Long.MAX_VALUE / 2);
    }
  }

  @Property(tries = 300)
  void aKeyGivenTwiceIsAlwaysRefused(@ForAll("keys") String key) {
    String json = "{\"" + key + "\": \"a\", \"" + key + "\": \"b\"}";
    SignalPayloads.Read r = SignalPayloads.read(raw("json/plain", json.getBytes()));
    assertTrue(!r.ok() && r.problem().contains("Duplicate field"), String.valueOf(r.problem()));
  }

  @Property(tries = 300)
  void capsKeepTheirBoundAndTheStartOfTheText(@ForAll("texts") String s) {
    String c = AuditText.cap(s, 100);
    assertTrue(c.length() <= 100 || s.length() <= 100, c);
    if (s.length() <= 100) {
      assertEquals(s, c);
    } else {
      assertTrue(s.startsWith(c.substring(0, c.indexOf("… ("))), c);
    }
  }

  @Provide
  Arbitrary<RawValue> payloads() {
    Arbitrary<String> encodings = Arbitraries.of("json/plain", "json/plain", "json/plain", "binary/plain",
        "binary/null", "json/protobuf", "binary/protobuf", "", "text/plain");
    Arbitrary<String> jsonish = Arbitraries.oneOf(
        Arbitraries.strings().withChars("{}[]\":,0123456789abcntrule-.eE \\").ofMaxLength(200),
        Arbitraries.of("{\"by\": \"alice@example.com\"}", "{\"by\": 5}", "null", "[]", "\"text\"", "1e999",
            "{\"alertname\": \"ModelSafetySpike\", \"status\": \"firing\"}",
            "{\"signals\": {\"hallucination\": {\"candidate\": {\"events\": 3, \"trials\": 1000}}}, \"t\": \"x\"}",
            "{\"signals\": {\"hallucination\": {\"candidate\": {\"events\": -3, \"trials\": 1}}}, \"stage\": \"full\"}",
            "{\"by\": \"a\", \"outcome\": \"" + "o".repeat(5000) + "\"}", "[".repeat(40) + "]".repeat(40),
            "{\"by\": \"a\"} trailing", "{\"candidate\": \"v3\", \"policy\": {\"apiVersion\": 1}}"));
    return Arbitraries.oneOf(
        encodings.flatMap(e -> jsonish.map(j -> raw(e, j.getBytes()))),
        encodings.flatMap(e -> Arbitraries.bytes().array(byte[].class).ofMaxSize(300).map(b -> raw(e, b))),
        Arbitraries.just(null));
  }

  @Provide
  Arbitrary<String> keys() {
    return Arbitraries.strings().alpha().ofMinLength(1).ofMaxLength(30);
  }

  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.strings().ofMaxLength(400);
  }

  private static RawValue raw(String encoding, byte[] data) {
    return new RawValue(Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8(encoding))
        .setData(ByteString.copyFrom(data)).build());
  }
}
