package dev.ripcord.activities.temporal.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.activities.temporal.RipcordDataConverter;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.release.ReleaseWorkflowImpl;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DataConverter;
import io.temporal.testing.WorkflowReplayer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A release on a worker whose payloads are encrypted: what Temporal stores holds no approver, comment or signal
 * content in plaintext; a signal sealed with a key the worker lacks is refused and audited (the workflow task does not
 * fail); the stored history decodes and replays with the keys.
 */
class EncryptedReleaseTest {
  /** A key for tests only, committed with the history it sealed (see EncryptedStoredHistoryTest). */
  static final java.nio.file.Path TEST_KEYS = java.nio.file.Path.of("src/test/resources/codec/test-codec-keys.json");
  private static final CodecKeys KEYS = CodecKeys.load(TEST_KEYS);
  private final DataConverter converter = RipcordDataConverter.create(Optional.of(KEYS));
  @RegisterExtension final ReleaseHarness h = new ReleaseHarness(converter);

  /**
   * What stays readable whatever the codec: search attributes, and the SDK's own bookkeeping in markers (a version
   * marker's change id and version; a local activity's id, type, time and attempt), never a value Ripcord wrote.
   */
  private static boolean readableToAll(String payload) {
    return payload.contains("search_attributes/") || List.of("changeId", "version", "activityId", "type", "time",
        "meta").stream().anyMatch(k -> payload.startsWith("/events/marker_recorded_event_attributes/details[" + k + "]"));
  }

  @Test
  void storedHistoryHoldsNoPlaintextAndAForeignKeysSignalIsRefused() throws Exception {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build(), "release-bot@example.com");
    h.env.sleep(Duration.ofMinutes(2));
    DataConverter foreign = RipcordDataConverter.create(Optional.of(
        AesGcmCodecTest.keys(AesGcmCodecTest.newFile("stolen"))));
    WorkflowClient mallory = WorkflowClient.newInstance(h.env.getWorkflowServiceStubs(), WorkflowClientOptions
        .newBuilder().setNamespace(h.env.getNamespace()).setDataConverter(foreign).build());
    String id = WorkflowStub.fromTyped(wf).getExecution().getWorkflowId();
    mallory.newUntypedWorkflowStub(id).signal("rollback", Map.of("by", "mallory@evil.example"));
    h.env.sleep(Duration.ofMinutes(1));
    assertEquals(ReleaseState.ROLLING_OUT, wf.status().state(), "the foreign-key signal decided nothing");
    wf.rollback(ReleaseHarness.json(Map.of("by", "carol@example.com", "comment", "judge drift on the fr slice")));
    ReleaseReport r = h.result(wf);
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    List<String> refused = ReleaseHarness.messages(r.audit(), "REFUSED");
    assertEquals(1, refused.size(), refused.toString());
    assertTrue(refused.get(0).contains("cannot be decrypted") && refused.get(0).contains("key 'stolen'"),
        refused.get(0));
    assertTrue(r.audit().stream().map(AuditEntry::actor).anyMatch("carol@example.com"::equals));

    WorkflowExecutionHistory stored = h.client.fetchHistory(id);
    assertTrue(ReleaseHarness.failedWorkflowTasks(stored.getEvents()).isEmpty(), "no workflow task failed");
    List<String> raw = PayloadText.of(stored.getHistory());
    assertEquals(List.of(), raw.stream().filter(t -> !readableToAll(t) && !t.contains("encoding=binary/encrypted"))
        .toList(), "payloads stored unencrypted");
    for (String plain : List.of("carol@example.com", "judge drift", "release-bot@example.com", "mallory",
        "hallucination", "json/plain")) {
      for (String t : raw) {
        assertFalse(t.contains(plain) && !readableToAll(t), plain + " is in the stored history in plaintext: " + t);
      }
    }
    WorkflowExecutionHistory readable = HistoryPayloads.readable(stored, converter);
    List<String> read = PayloadText.of(readable.getHistory());
    assertTrue(read.stream().anyMatch(t -> t.contains("judge drift on the fr slice")), read.toString());
    assertTrue(read.stream().anyMatch(t -> t.contains(AesGcmCodec.UNDECODABLE)), "the foreign signal as the release"
        + " saw it");
    WorkflowReplayer.replayWorkflowExecution(readable, ReleaseWorkflowImpl.class);
    String dir = System.getProperty("ripcord.recordHistories");
    if (dir != null) { // as Temporal stored it: sealed with the test key
      java.nio.file.Files.writeString(java.nio.file.Path.of(dir, "encrypted-rolled-back.json"), stored.toJson(true));
    }
  }
}
