package dev.ripcord.activities.temporal.codec;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.temporal.api.common.v1.Payload;
import io.temporal.payload.codec.PayloadCodec;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import javax.crypto.Cipher;
import javax.crypto.SecretKey;
import javax.crypto.spec.GCMParameterSpec;

/**
 * Encrypts every payload with AES-256-GCM: the whole original payload (its metadata too, so not even its encoding
 * shows) becomes {@code nonce ‖ ciphertext ‖ tag}, under metadata {@code encoding: binary/encrypted},
 * {@code encryption-cipher: AES/GCM/NoPadding} and {@code encryption-key-id} (the key id is also authenticated, so a
 * payload cannot be moved under another key's name). A payload that is not encrypted passes through decoding as it
 * is: histories written before encryption was turned on still read and replay.
 *
 * <p>A payload that cannot be decrypted (a key this process lacks, a tampered payload) decodes to one that says so,
 * encoding {@link #UNDECODABLE} with the reason as its data, instead of throwing: a signal sent with a foreign key is
 * then refused and audited by the release like any unreadable signal, rather than failing every workflow task. Any
 * other reader meets an encoding no converter takes and fails naming it; {@link HistoryPayloads} names the reason.
 */
public final class AesGcmCodec implements PayloadCodec {
  public static final String ENCODING = "binary/encrypted";
  public static final String UNDECODABLE = "ripcord/undecodable";
  public static final String CIPHER = "AES/GCM/NoPadding";
  public static final String KEY_ID = "encryption-key-id";
  private static final int NONCE_BYTES = 12;
  private static final int TAG_BITS = 128;
  private final CodecKeys.Source keys;
  private final SecureRandom random = new SecureRandom();

  public AesGcmCodec(CodecKeys.Source keys) {
    this.keys = keys;
  }

  @Override
  public List<Payload> encode(List<Payload> payloads) {
    List<Payload> out = new ArrayList<>(payloads.size());
    String id = keys.currentId();
    SecretKey key = keys.key(id).orElseThrow(() -> new IllegalStateException("codec keys: current key '" + id
        + "' is not held"));
    for (Payload p : payloads) {
      out.add(encrypt(p, id, key));
    }
    return out;
  }

  @Override
  public List<Payload> decode(List<Payload> payloads) {
    List<Payload> out = new ArrayList<>(payloads.size());
    for (Payload p : payloads) {
      out.add(encrypted(p) ? decrypt(p) : p);
    }
    return out;
  }

  public static boolean encrypted(Payload p) {
    return ENCODING.equals(meta(p, "encoding"));
  }

  private Payload encrypt(Payload p, String id, SecretKey key) {
    byte[] nonce = new byte[NONCE_BYTES];
    random.nextBytes(nonce);
    try {
      Cipher c = Cipher.getInstance(CIPHER);
      c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(TAG_BITS, nonce));
      c.updateAAD(id.getBytes(StandardCharsets.UTF_8));
      byte[] sealed = c.doFinal(p.toByteArray());
      return Payload.newBuilder()
          .putMetadata("encoding", utf8(ENCODING))
          .putMetadata("encryption-cipher", utf8(CIPHER))
          .putMetadata(KEY_ID, utf8(id))
          .setData(ByteString.copyFrom(nonce).concat(ByteString.copyFrom(sealed)))
          .build();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("cannot encrypt a payload with key '" + id + "': " + e, e);
    }
  }

  private Payload decrypt(Payload p) {
    String id = meta(p, KEY_ID);
    var key = keys.key(id);
    if (key.isEmpty()) {
      return undecodable("encrypted with key '" + id + "', which this process does not hold; add it to the codec"
          + " keys file (" + CodecKeys.ENV + "): rotated keys stay there for reading");
    }
    byte[] data = p.getData().toByteArray();
    if (data.length < NONCE_BYTES + TAG_BITS / 8) {
      return undecodable("encrypted payload of " + data.length + " bytes is too short to hold a nonce and a tag");
    }
    try {
      Cipher c = Cipher.getInstance(CIPHER);
      c.init(Cipher.DECRYPT_MODE, key.get(), new GCMParameterSpec(TAG_BITS, data, 0, NONCE_BYTES));
      c.updateAAD(id.getBytes(StandardCharsets.UTF_8));
      return Payload.parseFrom(c.doFinal(data, NONCE_BYTES, data.length - NONCE_BYTES));
    } catch (javax.crypto.AEADBadTagException e) {
      return undecodable("encrypted payload does not verify under key '" + id + "' (tampered, or another key of"
          + " that name)");
    } catch (GeneralSecurityException | InvalidProtocolBufferException e) {
      return undecodable("encrypted payload cannot be read with key '" + id + "': " + e.getMessage());
    }
  }

  /** The reason an {@link #UNDECODABLE} payload carries, or null for any other payload. */
  public static String undecodableReason(Payload p) {
    return UNDECODABLE.equals(meta(p, "encoding")) ? p.getData().toStringUtf8() : null;
  }

  private static Payload undecodable(String why) {
    return Payload.newBuilder().putMetadata("encoding", utf8(UNDECODABLE)).setData(utf8(why)).build();
  }

  private static String meta(Payload p, String key) {
    return p.getMetadataOrDefault(key, ByteString.EMPTY).toStringUtf8();
  }

  private static ByteString utf8(String s) {
    return ByteString.copyFromUtf8(s);
  }
}
