package dev.ripcord.starter.history;

import dev.ripcord.workflows.release.ReleaseWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.ReplayResults;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Replays exported histories (the JSON of {@code temporal workflow show -o json} or {@code ripcord history export})
 * against today's workflow code, all at once with fail-fast off, so one run reports every broken history.
 */
public final class HistoryReplay {
  static final java.time.Duration REPLAY_DEADLOCK_TIMEOUT = java.time.Duration.ofSeconds(60);

  private HistoryReplay() {}

  /** One history's verdict: clean, or the error naming the offending event. */
  public record Result(Path file, String workflowId, boolean clean, String error) {}

  /** The history in {@code file}, decoded with the keys {@code RIPCORD_CODEC_KEYS} names when it is encrypted. */
  public static WorkflowExecutionHistory load(Path file) throws IOException {
    return load(file, file.getFileName().toString().replaceFirst("\\.json$", ""));
  }

  /** The history in {@code file} as it was exported (encrypted when the namespace's payloads are). */
  public static WorkflowExecutionHistory loadStored(Path file) throws IOException {
    return WorkflowExecutionHistory.fromJson(Files.readString(file),
        file.getFileName().toString().replaceFirst("\\.json$", ""));
  }

  /** The history in {@code file}, its payloads decoded with the codec keys the environment names (if encrypted). */
  static WorkflowExecutionHistory load(Path file, String id) throws IOException {
    return readable(WorkflowExecutionHistory.fromJson(Files.readString(file), id));
  }

  /** {@code h} with its payloads decoded with the keys {@code RIPCORD_CODEC_KEYS} names; as it is when plain. */
  public static WorkflowExecutionHistory readable(WorkflowExecutionHistory h) {
    if (!dev.ripcord.activities.temporal.codec.HistoryPayloads.anyEncrypted(h.getHistory())) {
      return h;
    }
    return readable(h, dev.ripcord.activities.temporal.codec.CodecKeys.configured());
  }

  /** {@code h} with its payloads decoded with {@code keys}; an encrypted history without keys is refused, saying so. */
  public static WorkflowExecutionHistory readable(WorkflowExecutionHistory h,
      java.util.Optional<dev.ripcord.activities.temporal.codec.CodecKeys> keys) {
    if (!dev.ripcord.activities.temporal.codec.HistoryPayloads.anyEncrypted(h.getHistory())) {
      return h;
    }
    if (keys.isEmpty()) {
      throw new IllegalArgumentException("the history of " + h.getWorkflowExecution().getWorkflowId() + " is"
          + " encrypted: give the namespace's keys file (--codec-keys or RIPCORD_CODEC_KEYS)");
    }
    return dev.ripcord.activities.temporal.codec.HistoryPayloads.readable(h,
        dev.ripcord.activities.temporal.RipcordDataConverter.create(keys));
  }

  public static List<Result> replay(List<Path> files) throws Exception {
    return replay(files, ReleaseWorkflowImpl.class);
  }

  /** Replays against another implementation of the Release workflow, e.g. a change about to be deployed. */
  public static List<Result> replay(List<Path> files, Class<?> implementation) throws Exception {
    Map<String, Path> byId = new LinkedHashMap<>();
    List<WorkflowExecutionHistory> histories = new ArrayList<>();
    List<Result> results = new ArrayList<>();
    for (Path f : files) {
      try {
        String id = f.getFileName().toString().replaceFirst("\\.json$", "");
        if (byId.containsKey(id)) {
          id = id + "#" + byId.size(); // the same file name in two folders
        }
        WorkflowExecutionHistory h = load(f, id);
        histories.add(h);
        byId.put(id, f);
      } catch (Exception e) {
        results.add(new Result(f, null, false, "cannot read history: " + e.getMessage()));
      }
    }
    if (!histories.isEmpty()) {
      ReplayResults rr;
      // The worker's data converter: a history a newer build wrote (a field this build does not know) replays here as
      // it does on the worker.
      try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance(io.temporal.testing.TestEnvironmentOptions
          .newBuilder().setWorkflowClientOptions(io.temporal.client.WorkflowClientOptions.newBuilder()
              .setDataConverter(dev.ripcord.activities.temporal.RipcordDataConverter.create()).build()).build())) {
        // A replay checks determinism, not speed: a JVM still loading classes on a busy machine must not be reported
        // as a "potential deadlock" (the SDK's 1 s default), which would read as a history that does not replay.
        Worker worker = env.newWorker("ripcord-replay", WorkerOptions.newBuilder()
            .setDefaultDeadlockDetectionTimeout(REPLAY_DEADLOCK_TIMEOUT.toMillis()).build());
        // Every workflow type Ripcord writes: the release (or the implementation under test), the accuracy ledger, the
        // drill and the record of spent tokens, so a folder of exported histories replays whatever wrote each.
        worker.registerWorkflowImplementationTypes(implementation);
        for (Class<?> other : List.of(dev.ripcord.workflows.ledger.LedgerWorkflowImpl.class,
            dev.ripcord.workflows.drill.DrillWorkflowImpl.class,
            dev.ripcord.workflows.identity.SpentTokensWorkflowImpl.class)) {
          if (!other.equals(implementation)) {
            worker.registerWorkflowImplementationTypes(other);
          }
        }
        rr = WorkflowReplayer.replayWorkflowExecutions(histories, false, worker);
      }
      Map<String, String> errors = new LinkedHashMap<>();
      for (ReplayResults.ReplayError e : rr.allErrors()) {
        errors.put(e.workflowId, describe(e.exception));
      }
      for (WorkflowExecutionHistory h : histories) {
        String id = h.getWorkflowExecution().getWorkflowId();
        String err = errors.get(id);
        results.add(new Result(byId.get(id), id, err == null, err));
      }
    }
    return results;
  }

  private static String describe(Throwable t) {
    StringBuilder b = new StringBuilder(t.getClass().getSimpleName()).append(": ").append(t.getMessage());
    for (Throwable c = t.getCause(); c != null && c != t; c = c.getCause()) {
      b.append("\n  caused by ").append(c.getClass().getSimpleName()).append(": ").append(c.getMessage());
      t = c;
    }
    return b.toString();
  }
}
