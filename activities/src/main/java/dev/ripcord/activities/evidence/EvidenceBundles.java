package dev.ripcord.activities.evidence;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * A content-addressed directory of evidence bundles. A bundle is a directory named {@code sha256-<hex>} after the
 * digest of its {@code manifest.json}, which lists every other file with its own digest and size; so the name vouches
 * for the manifest and the manifest for every file. Written to a temporary directory and moved into place, so a
 * bundle is either whole or absent; writing the same content again changes nothing.
 */
public final class EvidenceBundles {
  public static final String FORMAT = "ripcord-evidence/v1";
  public static final String MANIFEST = "manifest.json";
  static final ObjectMapper JSON = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(SerializationFeature.INDENT_OUTPUT).build();

  private EvidenceBundles() {}

  /** Where a bundle landed: its URI, the manifest's digest, and what it holds. */
  public record Written(URI uri, String digest, int files, long bytes) {}

  /** The directory of a {@code file:} store URI. */
  public static Path directory(String store) {
    URI uri = URI.create(store);
    if (!"file".equals(uri.getScheme())) {
      throw new IllegalArgumentException("evidence store " + store + " is not a file: URI");
    }
    return Path.of(uri);
  }

  /**
   * Writes {@code files} (relative path → content) with a manifest that lists them and {@code about} (facts about the
   * release, e.g. its id), and returns where the bundle is.
   */
  public static Written write(Path store, Map<String, byte[]> files, Map<String, Object> about) {
    try {
      TreeMap<String, Object> listed = new TreeMap<>();
      long bytes = 0;
      for (var f : new TreeMap<>(files).entrySet()) {
        listed.put(f.getKey(), Map.of("sha256", sha256(f.getValue()), "bytes", f.getValue().length));
        bytes += f.getValue().length;
      }
      ObjectNode manifest = JSON.createObjectNode();
      manifest.put("format", FORMAT);
      manifest.set("about", JSON.valueToTree(new TreeMap<>(about)));
      manifest.set("files", JSON.valueToTree(listed));
      byte[] manifestBytes = JSON.writeValueAsBytes(manifest);
      String digest = sha256(manifestBytes);
      Path target = store.resolve("sha256-" + digest);
      if (!Files.isDirectory(target)) {
        Files.createDirectories(store);
        Path tmp = Files.createTempDirectory(store, ".incoming-");
        for (var f : files.entrySet()) {
          Path p = tmp.resolve(f.getKey()).normalize();
          if (!p.startsWith(tmp)) {
            throw new IllegalArgumentException("file name escapes the bundle: " + f.getKey());
          }
          Files.createDirectories(p.getParent());
          Files.write(p, f.getValue());
        }
        Files.write(tmp.resolve(MANIFEST), manifestBytes);
        try {
          Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException | AtomicMoveNotSupportedException e) {
          deleteTree(tmp); // another attempt wrote the same content first
        } catch (IOException e) {
          if (!Files.isDirectory(target)) {
            throw e;
          }
          deleteTree(tmp);
        }
      }
      return new Written(uri(target), "sha256:" + digest, files.size() + 1, bytes + manifestBytes.length);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the evidence bundle to " + store, e);
    }
  }

  /** What {@link #verify} found: nothing wrong when {@code problems} is empty. */
  public record Verification(URI uri, String digest, int files, List<String> problems) {
    public boolean ok() {
      return problems.isEmpty();
    }
  }

  /**
   * Checks a bundle: the manifest's digest against the directory's name (and {@code expectedDigest}, when the
   * history recorded one), every listed file's digest and size, and that no file is missing or unlisted.
   */
  public static Verification verify(Path bundle, String expectedDigest) {
    List<String> problems = new ArrayList<>();
    Path manifestPath = bundle.resolve(MANIFEST);
    if (!Files.isRegularFile(manifestPath)) {
      return new Verification(uri(bundle), null, 0, List.of("no " + MANIFEST + " in " + bundle));
    }
    try {
      byte[] manifestBytes = Files.readAllBytes(manifestPath);
      String digest = "sha256:" + sha256(manifestBytes);
      String name = bundle.getFileName().toString();
      if (!name.equals("sha256-" + digest.substring("sha256:".length()))) {
        problems.add(MANIFEST + " has digest " + digest + ", but the bundle is named " + name
            + " (the manifest was changed)");
      }
      if (expectedDigest != null && !expectedDigest.equals(digest)) {
        problems.add(MANIFEST + " has digest " + digest + ", but the history recorded " + expectedDigest);
      }
      JsonNode manifest = JSON.readTree(manifestBytes);
      JsonNode files = manifest.path("files");
      TreeMap<String, JsonNode> listed = new TreeMap<>();
      files.fields().forEachRemaining(e -> listed.put(e.getKey(), e.getValue()));
      for (var e : listed.entrySet()) {
        Path f = bundle.resolve(e.getKey()).normalize();
        if (!f.startsWith(bundle) || !Files.isRegularFile(f)) {
          problems.add(e.getKey() + " is listed but missing");
          continue;
        }
        byte[] content = Files.readAllBytes(f);
        if (!sha256(content).equals(e.getValue().path("sha256").asText())) {
          problems.add(e.getKey() + " does not match its digest in the manifest (changed after it was written)");
        } else if (content.length != e.getValue().path("bytes").asLong()) {
          problems.add(e.getKey() + " has " + content.length + " bytes, the manifest says "
              + e.getValue().path("bytes"));
        }
      }
      try (Stream<Path> all = Files.walk(bundle)) {
        all.filter(Files::isRegularFile).map(p -> bundle.relativize(p).toString().replace('\\', '/'))
            .filter(p -> !p.equals(MANIFEST) && !listed.containsKey(p))
            .forEach(p -> problems.add(p + " is not listed in the manifest"));
      }
      return new Verification(uri(bundle), digest, listed.size() + 1, List.copyOf(problems));
    } catch (IOException e) {
      return new Verification(uri(bundle), null, 0, List.of("cannot read " + bundle + ": " + e.getMessage()));
    }
  }

  /** A file of a bundle, as bytes. */
  public static byte[] read(Path bundle, String file) {
    try {
      return Files.readAllBytes(bundle.resolve(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + file + " of the evidence bundle " + bundle, e);
    }
  }

  /** The bundle's manifest. */
  public static JsonNode manifest(Path bundle) {
    try {
      return JSON.readTree(read(bundle, MANIFEST));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the manifest of " + bundle, e);
    }
  }

  /** A bundle's {@code file:} URI, without the trailing slash a directory's URI has. */
  static URI uri(Path bundle) {
    return URI.create(bundle.toAbsolutePath().toUri().toString().replaceAll("/+$", ""));
  }

  static String sha256(byte[] content) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void deleteTree(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      for (Path p : all.sorted(java.util.Comparator.reverseOrder()).toList()) {
        Files.deleteIfExists(p);
      }
    }
  }
}
