package dev.ripcord.activities.temporal.codec;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

/**
 * The keys that encrypt Ripcord's payloads: one current key that encrypts, and every older key kept so that what it
 * encrypted can still be read (rotation). Read from a JSON file, {@code {"current": "2026-12", "keys": {"2026-12":
 * "<base64 of 32 random bytes>", "2026-06": "…"}}}, whose path {@code RIPCORD_CODEC_KEYS} (environment) or
 * {@code ripcord.codec.keys} (system property) names, or which either holds itself (a value starting with
 * <code>{</code>, e.g. from a secret store's environment injection). A key management service implements
 * {@link Source} instead.
 */
public final class CodecKeys {
  public static final String ENV = "RIPCORD_CODEC_KEYS";
  public static final String PROPERTY = "ripcord.codec.keys";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int KEY_BYTES = 32;
  private final String current;
  private final Map<String, SecretKey> keys;

  /** Where keys come from: a file here, a KMS elsewhere. */
  public interface Source {
    /** The id of the key that encrypts new payloads. */
    String currentId();

    /** The key with this id, if this process holds it. */
    Optional<SecretKey> key(String id);
  }

  private CodecKeys(String current, Map<String, SecretKey> keys) {
    this.current = current;
    this.keys = Map.copyOf(keys);
  }

  /** The keys the environment names, or none (payloads are then written as they are). */
  public static Optional<CodecKeys> configured() {
    String path = System.getProperty(PROPERTY);
    if (path == null || path.isBlank()) {
      path = System.getenv(ENV);
    }
    return path == null || path.isBlank() ? Optional.empty() : Optional.of(from(path));
  }

  /** The keys in {@code pathOrJson}: a keys file's path, or the file's JSON itself. */
  public static CodecKeys from(String pathOrJson) {
    String v = pathOrJson.strip();
    return v.startsWith("{") ? parse(v, ENV + " (the keys themselves)") : load(Path.of(v));
  }

  public static CodecKeys load(Path file) {
    try {
      return parse(Files.readString(file), file.toString());
    } catch (IOException e) {
      throw new IllegalArgumentException("codec keys: cannot read " + file + " (" + e.getMessage() + "); point "
          + ENV + " at a readable keys file (ripcord codec new-key --file " + file + " writes one)", e);
    }
  }

  /** Reads a keys file's text; {@code source} names it in errors. */
  public static CodecKeys parse(String json, String source) {
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalArgumentException("codec keys in " + source + ": not JSON (" + e.getMessage().lines().findFirst().orElse("")
          + "); write {\"current\": \"ID\", \"keys\": {\"ID\": \"<base64 of 32 bytes>\"}}");
    }
    if (root == null || !root.path("keys").isObject() || root.path("keys").isEmpty()) {
      throw new IllegalArgumentException("codec keys in " + source + ": field 'keys' must be an object of key id to"
          + " base64 key, with at least one key");
    }
    Map<String, SecretKey> keys = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = root.path("keys").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> e = it.next();
      keys.put(e.getKey(), key(source, e.getKey(), e.getValue()));
    }
    String current = root.path("current").asText("");
    if (!keys.containsKey(current)) {
      throw new IllegalArgumentException("codec keys in " + source + ": field 'current' is '" + current
          + "', not one of the keys " + keys.keySet() + "; name the key that encrypts new payloads");
    }
    return new CodecKeys(current, keys);
  }

  private static SecretKey key(String source, String id, JsonNode value) {
    if (id.isBlank() || id.length() > 64 || !id.matches("[A-Za-z0-9._:-]+")) {
      throw new IllegalArgumentException("codec keys in " + source + ": key id '" + id + "' must be 1 to 64 letters,"
          + " digits or . _ : -");
    }
    byte[] bytes;
    try {
      bytes = Base64.getDecoder().decode(value.asText(""));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("codec keys in " + source + ": keys." + id + " is not base64; write 32"
          + " random bytes in base64 (openssl rand -base64 32)");
    }
    if (bytes.length != KEY_BYTES) {
      throw new IllegalArgumentException("codec keys in " + source + ": keys." + id + " is " + bytes.length
          + " bytes; AES-256 takes 32 (openssl rand -base64 32)");
    }
    return new SecretKeySpec(bytes, "AES");
  }

  /** A keys file with one new key, current from now on; the old keys stay for reading. */
  public static String withNewKey(String existingJson, String id, SecureRandom random) {
    byte[] bytes = new byte[KEY_BYTES];
    random.nextBytes(bytes);
    var keys = JSON.createObjectNode();
    if (existingJson != null && !existingJson.isBlank()) {
      parse(existingJson, "the keys file"); // refuse to extend a broken file
      try {
        JSON.readTree(existingJson).path("keys").fields().forEachRemaining(e -> keys.set(e.getKey(), e.getValue()));
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }
    if (keys.has(id)) {
      throw new IllegalArgumentException("codec keys: key id '" + id + "' exists; choose a new id (for example the"
          + " month)");
    }
    keys.put(id, Base64.getEncoder().encodeToString(bytes));
    var root = JSON.createObjectNode();
    root.put("current", id);
    root.set("keys", keys);
    parse(root.toString(), "the new keys file");
    try {
      return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(root) + "\n";
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** These keys as a {@link Source}. */
  public Source source() {
    return new Source() {
      @Override
      public String currentId() {
        return current;
      }

      @Override
      public Optional<SecretKey> key(String id) {
        return Optional.ofNullable(keys.get(id));
      }
    };
  }

  public String currentId() {
    return current;
  }

  /** The ids of the keys held, sorted. */
  public java.util.List<String> ids() {
    return keys.keySet().stream().sorted().toList();
  }
}
