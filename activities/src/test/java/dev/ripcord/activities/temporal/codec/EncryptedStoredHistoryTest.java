package dev.ripcord.activities.temporal.codec;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.activities.temporal.RipcordDataConverter;
import dev.ripcord.workflows.release.ReleaseWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * A stored history as Temporal keeps it with encryption on (recorded by {@link EncryptedReleaseTest} with the
 * committed test key): it replays against today's workflow code with the key, and cannot be read without it.
 */
class EncryptedStoredHistoryTest {
  static final Path STORED = Path.of("src/test/resources/codec/encrypted-rolled-back.json");

  @Test
  void theEncryptedHistoryReplaysWithItsKeyAndIsRefusedWithAnother() throws Exception {
    WorkflowExecutionHistory sealed = WorkflowExecutionHistory.fromJson(Files.readString(STORED));
    assertTrue(HistoryPayloads.anyEncrypted(sealed.getHistory()));
    WorkflowExecutionHistory read = HistoryPayloads.readable(sealed, RipcordDataConverter.create(
        Optional.of(CodecKeys.load(EncryptedReleaseTest.TEST_KEYS))));
    WorkflowReplayer.replayWorkflowExecution(read, ReleaseWorkflowImpl.class);
    assertThrows(IllegalStateException.class, () -> HistoryPayloads.readable(sealed, RipcordDataConverter.create(
        Optional.of(AesGcmCodecTest.keys(AesGcmCodecTest.newFile("other"))))));
  }
}
