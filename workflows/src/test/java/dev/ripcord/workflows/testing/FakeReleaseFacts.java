package dev.ripcord.workflows.testing;

import dev.ripcord.workflows.ledger.LedgerActivities;
import dev.ripcord.workflows.ledger.ReleaseFacts;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** What the ledger's reader would find in a release's history, as a test sets it; unknown releases are not found. */
public final class FakeReleaseFacts implements LedgerActivities {
  public final Map<String, ReleaseFacts> releases = new ConcurrentHashMap<>();

  /** A finished release of policy {@code chat} whose rollback right is held by safety-lead (alice) and on-call. */
  public ReleaseFacts add(String releaseId, String state, List<String> fired, Long badOutputs) {
    ReleaseFacts f = new ReleaseFacts(releaseId, "chat", "sha256:p", state, fired, "2026-12-01T10:00:00Z",
        "2026-12-01T10:15:00Z", fired.isEmpty() ? null : "2026-12-01T10:25:00Z",
        fired.isEmpty() ? null : "2026-12-01T10:27:00Z", badOutputs,
        Map.of("safety-lead", List.of("alice@example.com"), "on-call", List.of("carol@example.com")), false);
    releases.put(releaseId, f);
    return f;
  }

  @Override
  public ReleaseFacts facts(String releaseId) {
    ReleaseFacts f = releases.get(releaseId);
    if (f == null) {
      throw ApplicationFailure.newNonRetryableFailure("no release " + releaseId + " in this namespace", NOT_FOUND);
    }
    return f;
  }
}
