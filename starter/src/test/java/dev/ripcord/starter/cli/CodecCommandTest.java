package dev.ripcord.starter.cli;

import static dev.ripcord.starter.cli.CliRun.ripcord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.activities.temporal.RipcordDataConverter;
import dev.ripcord.activities.temporal.codec.CodecKeys;
import dev.ripcord.activities.temporal.codec.HistoryPayloads;
import io.temporal.api.history.v1.History;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.CodecDataConverter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Payload keys from the CLI: created, rotated, shown; encrypted exports replayed and reviewed with them. */
class CodecCommandTest {
  private static final Path DEMO = Path.of("../workflows/src/test/resources/histories/demo-automatic-rollback.json");
  @TempDir Path dir;

  @Test
  void newKeyCreatesThenRotatesAndShowNamesTheKeysNeverTheirBytes() throws Exception {
    Path file = dir.resolve("keys.json");
    CliRun first = ripcord("codec", "new-key", "--file", file.toString(), "--id", "2026-06");
    assertEquals(0, first.code(), first.err());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    CliRun again = ripcord("codec", "new-key", "--file", file.toString(), "--id", "2026-06");
    assertEquals(2, again.code());
    assertTrue(again.err().contains("key id '2026-06' exists"), again.err());
    assertEquals(0, ripcord("codec", "new-key", "--file", file.toString(), "--id", "2026-12").code());
    CliRun show = ripcord("codec", "show", "--file", file.toString(), "--output", "json");
    assertEquals("{\n  \"current\" : \"2026-12\",\n  \"keys\" : [ \"2026-06\", \"2026-12\" ]\n}", show.out().trim());
    String key = Files.readString(file).split("\"2026-06\" : \"")[1].substring(0, 20);
    assertFalse(show.out().contains(key), "the keys themselves are never printed");
    Files.writeString(dir.resolve("broken.json"), "{\"current\": \"x\", \"keys\": {\"x\": \"c2hvcnQ=\"}}");
    CliRun broken = ripcord("codec", "show", "--file", dir.resolve("broken.json").toString());
    assertEquals(1, broken.code());
    assertTrue(broken.err().contains("keys.x is 5 bytes"), broken.err());
  }

  @Test
  void anEncryptedExportReplaysAndReviewsWithTheKeysAndIsNamedWithout() throws Exception {
    Path keys = dir.resolve("keys.json");
    assertEquals(0, ripcord("codec", "new-key", "--file", keys.toString()).code());
    CodecDataConverter codec = (CodecDataConverter) RipcordDataConverter.create(Optional.of(CodecKeys.load(keys)));
    WorkflowExecutionHistory plain = WorkflowExecutionHistory.fromJson(Files.readString(DEMO));
    History sealed = (History) HistoryPayloads.map(plain.getHistory(), p -> codec.encode(List.of(p)).get(0));
    Path export = dir.resolve("demo-automatic-rollback.json");
    Files.writeString(export, new WorkflowExecutionHistory(sealed, "release-demo").toJson(true));

    CliRun without = ripcord("replay", "--quiet", export.toString());
    assertEquals(1, without.code());
    assertTrue(without.out().contains("is encrypted: give the namespace's keys file (--codec-keys or"
        + " RIPCORD_CODEC_KEYS)"), without.out());
    CliRun replay = ripcord("replay", "--codec-keys", keys.toString(), export.toString());
    assertEquals(0, replay.code(), replay.out() + replay.err());
    assertTrue(replay.out().contains("rolled back") || replay.out().contains("ROLLED_BACK"), replay.out());
    CliRun review = ripcord("review", export.toString(), "--codec-keys", keys.toString(), "--output", "html");
    assertEquals(0, review.code(), review.err());
    // JFreeSVG names each chart's clip paths after the moment it drew it: the rest is the plain export's page.
    assertEquals(ripcord("review", DEMO.toString(), "--output", "html").out().replaceAll("_\\d+clip", "_clip"),
        review.out().replaceAll("_\\d+clip", "_clip"), "the encrypted export's page is the plain one's");
  }
}
