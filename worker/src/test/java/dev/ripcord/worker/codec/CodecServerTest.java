package dev.ripcord.worker.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.JsonFormat;
import dev.ripcord.activities.temporal.RipcordDataConverter;
import dev.ripcord.activities.temporal.codec.AesGcmCodec;
import dev.ripcord.activities.temporal.codec.CodecKeys;
import dev.ripcord.worker.RipcordProperties;
import dev.ripcord.workflows.testing.FakeIssuer;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The codec server: decodes for a caller with the issuer's token, for its own namespace only; refuses the rest. */
class CodecServerTest {
  private static final long NOW = Instant.parse("2026-12-07T12:00:00Z").toEpochMilli();
  @TempDir Path dir;
  private final FakeIssuer issuer = new FakeIssuer();

  private RipcordProperties.Codec config(Path keys) {
    return new RipcordProperties.Codec(keys.toString(), List.of("http://ui.test:8080"), FakeIssuer.ISSUER,
        FakeIssuer.AUDIENCE, FakeIssuer.JWKS, false);
  }

  private CodecServer server(RipcordProperties.Codec c) {
    var props = new RipcordProperties(null, null, null, null, c, null);
    var converter = RipcordDataConverter.create(c.encrypts() ? Optional.of(CodecKeys.load(Path.of(c.keys())))
        : Optional.empty());
    return new CodecServer(converter, props, "default",
        new CodecAccess(c, issuer::keys, Clock.fixed(Instant.ofEpochMilli(NOW), ZoneOffset.UTC)));
  }

  private Path keys() throws Exception {
    Path f = dir.resolve("keys.json");
    Files.writeString(f, CodecKeys.withNewKey(null, "2026-12", new SecureRandom()));
    return f;
  }

  private static String body(Payload... p) throws Exception {
    return JsonFormat.printer().print(Payloads.newBuilder().addAllPayloads(List.of(p)).build());
  }

  private static Payload json(String s) {
    return Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(s)).build();
  }

  private static List<Payload> payloads(String json) throws Exception {
    Payloads.Builder b = Payloads.newBuilder();
    JsonFormat.parser().merge(json, b);
    return b.getPayloadsList();
  }

  @Test
  void aSignedInCallerGetsPayloadsEncodedAndDecodedBack() throws Exception {
    CodecServer s = server(config(keys()));
    String bearer = "Bearer " + issuer.token("carol@example.com", NOW);
    var encoded = s.encode(body(json("{\"by\":\"carol@example.com\"}")), bearer, "default");
    assertEquals(200, encoded.getStatusCode().value(), encoded.getBody());
    Payload sealed = payloads(encoded.getBody()).get(0);
    assertTrue(AesGcmCodec.encrypted(sealed));
    assertFalse(sealed.getData().toStringUtf8().contains("carol"));
    var decoded = s.decode(body(sealed, json("7")), bearer, null);
    assertEquals(200, decoded.getStatusCode().value(), decoded.getBody());
    assertEquals(List.of(json("{\"by\":\"carol@example.com\"}"), json("7")), payloads(decoded.getBody()));
  }

  @Test
  void noTokenAForeignTokenAnotherNamespaceOrNoKeysAreRefused() throws Exception {
    CodecServer s = server(config(keys()));
    String ok = "Bearer " + issuer.token("carol@example.com", NOW);
    String sealed = s.encode(body(json("1")), ok, null).getBody();
    var none = s.decode(sealed, null, null);
    assertEquals(401, none.getStatusCode().value());
    assertTrue(none.getBody().contains("no bearer token"), none.getBody());
    String otherAudience = "Bearer " + issuer.token("carol@example.com", NOW, c -> c.audience("account"));
    var aud = s.decode(sealed, otherAudience, null);
    assertEquals(401, aud.getStatusCode().value());
    assertTrue(aud.getBody().contains("audience"), aud.getBody());
    String stranger = "Bearer " + FakeIssuer.sign(FakeIssuer.newKey("elsewhere"), "eve@example.com", NOW, c -> { });
    assertEquals(401, s.decode(sealed, stranger, null).getStatusCode().value());
    var expired = s.decode(sealed, "Bearer " + issuer.token("carol@example.com", NOW - 3_600_000), null);
    assertTrue(expired.getBody().contains("expired"), expired.getBody());
    var ns = s.decode(sealed, ok, "payments");
    assertEquals(403, ns.getStatusCode().value());
    assertEquals(400, s.decode("{\"payloads\": 3}", ok, null).getStatusCode().value());
    var plain = server(new RipcordProperties.Codec(null, List.of(), null, null, null, false)).decode(sealed, ok, null);
    assertEquals(404, plain.getStatusCode().value());
  }

  @Test
  void withoutAnIssuerTheCodecOpensOnlyWhenToldTheNetworkGuardsIt() throws Exception {
    String k = keys().toString();
    assertTrue(new CodecAccess(new RipcordProperties.Codec(k, List.of(), null, null, null, false)).refusal(null)
        .contains("ripcord.codec.issuer"));
    assertNull(new CodecAccess(new RipcordProperties.Codec(k, List.of(), null, null, null, true)).refusal(null));
  }

  @Test
  void aKeyRotatedAtTheIssuerIsFetchedAgainAtMostOnceAMinute() throws Exception {
    long[] now = {NOW};
    Clock clock = new Clock() {
      @Override
      public ZoneOffset getZone() {
        return ZoneOffset.UTC;
      }

      @Override
      public Clock withZone(java.time.ZoneId zone) {
        return this;
      }

      @Override
      public Instant instant() {
        return Instant.ofEpochMilli(now[0]);
      }
    };
    RipcordProperties.Codec c = config(keys());
    CodecServer s = new CodecServer(RipcordDataConverter.create(Optional.of(CodecKeys.load(Path.of(c.keys())))),
        new RipcordProperties(null, null, null, null, c, null), "default", new CodecAccess(c, issuer::keys, clock));
    assertEquals(200, s.encode(body(json("1")), "Bearer " + issuer.token("a@example.com", now[0]), null)
        .getStatusCode().value());
    int reads = issuer.reads.get();
    issuer.rotate("k-new");
    var soon = s.encode(body(json("1")), "Bearer " + issuer.token("a@example.com", now[0]), null);
    assertEquals(401, soon.getStatusCode().value(), "within a minute of a fetch the issuer is not asked again");
    assertEquals(reads, issuer.reads.get());
    now[0] += 61_000;
    assertEquals(200, s.encode(body(json("1")), "Bearer " + issuer.token("a@example.com", now[0]), null)
        .getStatusCode().value());
    assertEquals(reads + 1, issuer.reads.get());
  }
}
