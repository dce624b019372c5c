package dev.ripcord.activities.evidence;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The content-addressed bundle on a real file system: written whole, idempotent, and every change detected. */
class EvidenceBundlesTest {
  @TempDir Path store;

  private static Map<String, byte[]> files() {
    return Map.of("policy.json", "{\"apiVersion\":\"ripcord/v1\"}".getBytes(StandardCharsets.UTF_8),
        "runs/run-1.json", "{\"events\":[]}".getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aBundleIsNamedByItsManifestAndWritingItAgainChangesNothing() throws Exception {
    EvidenceBundles.Written w = EvidenceBundles.write(store, files(), Map.of("releaseId", "release-chat-v2"));
    Path bundle = Path.of(w.uri());
    assertEquals("sha256-" + w.digest().substring("sha256:".length()), bundle.getFileName().toString());
    assertEquals(3, w.files());
    assertTrue(Files.isRegularFile(bundle.resolve("runs/run-1.json")));
    assertEquals("release-chat-v2", EvidenceBundles.manifest(bundle).path("about").path("releaseId").asText());
    EvidenceBundles.Verification v = EvidenceBundles.verify(bundle, w.digest());
    assertTrue(v.ok(), v.problems().toString());

    EvidenceBundles.Written again = EvidenceBundles.write(store, files(), Map.of("releaseId", "release-chat-v2"));
    assertEquals(w, again);
    try (var list = Files.list(store)) {
      assertEquals(1, list.count(), "one bundle, no leftovers");
    }
  }

  @Test
  void aChangedMissingOrAddedFileAndAnotherDigestAreAllNamed() throws Exception {
    EvidenceBundles.Written w = EvidenceBundles.write(store, files(), Map.of("releaseId", "r"));
    Path bundle = Path.of(w.uri());
    Files.writeString(bundle.resolve("policy.json"), "{\"apiVersion\":\"ripcord/v0\"}");
    Files.delete(bundle.resolve("runs/run-1.json"));
    Files.writeString(bundle.resolve("extra.txt"), "slipped in");
    EvidenceBundles.Verification v = EvidenceBundles.verify(bundle, "sha256:" + "0".repeat(64));
    assertFalse(v.ok());
    assertTrue(v.problems().contains("policy.json does not match its digest in the manifest (changed after it was"
        + " written)"), v.problems().toString());
    assertTrue(v.problems().contains("runs/run-1.json is listed but missing"), v.problems().toString());
    assertTrue(v.problems().contains("extra.txt is not listed in the manifest"), v.problems().toString());
    assertTrue(v.problems().stream().anyMatch(p -> p.endsWith("but the history recorded sha256:" + "0".repeat(64))),
        v.problems().toString());

    Files.writeString(bundle.resolve(EvidenceBundles.MANIFEST), "{\"format\":\"ripcord-evidence/v1\",\"files\":{}}");
    assertTrue(EvidenceBundles.verify(bundle, null).problems().get(0).contains("(the manifest was changed)"));
  }
}
