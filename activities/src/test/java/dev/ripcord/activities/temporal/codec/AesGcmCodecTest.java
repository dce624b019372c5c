package dev.ripcord.activities.temporal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import dev.ripcord.activities.temporal.RipcordDataConverter;
import io.temporal.api.common.v1.Payload;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.RawValue;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** AES-256-GCM payloads: round trip, rotation, tampering, foreign keys, and plain payloads passing through. */
class AesGcmCodecTest {
  static final String SECRET = "{\"by\":\"alice@example.com\",\"token\":\"eyJhbGciOi.secret\",\"comment\":\"p95 up\"}";

  static CodecKeys keys(String json) {
    return CodecKeys.parse(json, "test");
  }

  static String newFile(String id) {
    return CodecKeys.withNewKey(null, id, new SecureRandom());
  }

  private static Payload json(String s) {
    return Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFromUtf8(s)).build();
  }

  @Test
  void aPayloadEncryptsToNothingReadableAndDecryptsToItself() {
    AesGcmCodec codec = new AesGcmCodec(keys(newFile("2026-12")).source());
    Payload sealed = codec.encode(List.of(json(SECRET))).get(0);
    assertTrue(AesGcmCodec.encrypted(sealed));
    assertEquals("2026-12", sealed.getMetadataOrThrow(AesGcmCodec.KEY_ID).toStringUtf8());
    String raw = sealed.toByteString().toStringUtf8();
    for (String secret : List.of("alice", "eyJhbGciOi", "p95 up", "json/plain")) {
      assertFalse(raw.contains(secret), secret + " must not show in " + raw);
    }
    assertEquals(json(SECRET), codec.decode(List.of(sealed)).get(0));
    assertNotEquals(sealed, codec.encode(List.of(json(SECRET))).get(0), "a fresh nonce every time");
  }

  @Test
  void afterRotationOldPayloadsStillReadAndNewOnesUseTheNewKey() {
    String first = newFile("2026-06");
    Payload old = new AesGcmCodec(keys(first).source()).encode(List.of(json(SECRET))).get(0);
    CodecKeys rotated = keys(CodecKeys.withNewKey(first, "2026-12", new SecureRandom()));
    assertEquals("2026-12", rotated.currentId());
    AesGcmCodec codec = new AesGcmCodec(rotated.source());
    assertEquals(json(SECRET), codec.decode(List.of(old)).get(0));
    assertEquals("2026-12", codec.encode(List.of(json("1"))).get(0).getMetadataOrThrow(AesGcmCodec.KEY_ID)
        .toStringUtf8());
  }

  @Test
  void aForeignOrTamperedPayloadDecodesToAReasonNotAnException() {
    AesGcmCodec mine = new AesGcmCodec(keys(newFile("k1")).source());
    Payload foreign = new AesGcmCodec(keys(newFile("k9")).source()).encode(List.of(json(SECRET))).get(0);
    assertTrue(AesGcmCodec.undecodableReason(mine.decode(List.of(foreign)).get(0)).contains("key 'k9'"));
    Payload sameName = new AesGcmCodec(keys(newFile("k1")).source()).encode(List.of(json(SECRET))).get(0);
    assertTrue(AesGcmCodec.undecodableReason(mine.decode(List.of(sameName)).get(0)).contains("does not verify"));
    Payload sealed = mine.encode(List.of(json(SECRET))).get(0);
    byte[] data = sealed.getData().toByteArray();
    data[data.length - 1] ^= 1;
    Payload flipped = sealed.toBuilder().setData(ByteString.copyFrom(data)).build();
    assertTrue(AesGcmCodec.undecodableReason(mine.decode(List.of(flipped)).get(0)).contains("does not verify"));
    Payload moved = sealed.toBuilder().putMetadata(AesGcmCodec.KEY_ID, ByteString.copyFromUtf8("k2")).build();
    assertTrue(AesGcmCodec.undecodableReason(mine.decode(List.of(moved)).get(0)).contains("does not hold"));
  }

  @Test
  void plainPayloadsPassThroughSoOldHistoriesStillRead() {
    AesGcmCodec codec = new AesGcmCodec(keys(newFile("k1")).source());
    Payload plain = json(SECRET);
    assertSame(plain, codec.decode(List.of(plain)).get(0));
    assertNull(AesGcmCodec.undecodableReason(plain));
  }

  @Test
  void theConverterEncryptsValuesAndHandsSignalsTheDecodedPayload() {
    DataConverter dc = RipcordDataConverter.create(Optional.of(keys(newFile("k1"))));
    Payload sealed = dc.toPayload(java.util.Map.of("by", "alice")).orElseThrow();
    assertTrue(AesGcmCodec.encrypted(sealed));
    assertEquals(java.util.Map.of("by", "alice"), dc.fromPayload(sealed, java.util.Map.class, java.util.Map.class));
    // Signal handlers take RawValue: they get the payload as the sender's converter wrote it, decrypted.
    RawValue raw = dc.fromPayload(sealed, RawValue.class, RawValue.class);
    assertEquals("json/plain", raw.getPayload().getMetadataOrThrow("encoding").toStringUtf8());
    DataConverter plain = RipcordDataConverter.create(Optional.empty());
    assertEquals(java.util.Map.of("by", "alice"), plain.fromPayload(plain.toPayload(java.util.Map.of("by", "alice"))
        .orElseThrow(), java.util.Map.class, java.util.Map.class));
  }

  @Test
  void keysFilesAreCheckedFieldByField() {
    for (String[] bad : new String[][] {
        {"[]", "field 'keys'"},
        {"{\"current\": \"a\", \"keys\": {}}", "field 'keys'"},
        {"{\"current\": \"a\", \"keys\": {\"a\": \"c2hvcnQ=\"}}", "keys.a is 5 bytes"},
        {"{\"current\": \"a\", \"keys\": {\"a\": \"***\"}}", "keys.a is not base64"},
        {"{\"current\": \"b\", \"keys\": {\"a\": \"" + "A".repeat(43) + "=\"}}", "field 'current' is 'b'"},
        {"{\"current\": \"a b\", \"keys\": {\"a b\": \"" + "A".repeat(43) + "=\"}}", "key id 'a b'"},
        {"not json", "not JSON"}}) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> keys(bad[0]), bad[0]);
      assertTrue(e.getMessage().contains(bad[1]), e.getMessage());
    }
    String one = newFile("a");
    assertThrows(IllegalArgumentException.class, () -> CodecKeys.withNewKey(one, "a", new SecureRandom()));
    assertEquals("a", CodecKeys.from("  " + one).currentId(), "the keys themselves, as an environment variable");
    IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
        () -> CodecKeys.from("/nonexistent/codec-keys.json"));
    assertTrue(missing.getMessage().contains("cannot read /nonexistent/codec-keys.json"), missing.getMessage());
  }
}
