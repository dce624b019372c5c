package dev.ripcord.workflows.testing;

import dev.ripcord.workflows.activity.EvidenceActivities;
import java.util.ArrayList;
import java.util.List;

/**
 * The evidence store for workflow tests: records each request and answers with a reference, or hands the request to
 * a real store a test puts in {@link #delegate} (the starter's tests do, with the file store).
 */
public final class FakeEvidence implements EvidenceActivities {
  public volatile EvidenceActivities delegate;
  private final List<EvidenceRequest> requests = new ArrayList<>();

  @Override
  public EvidenceRef write(EvidenceRequest request) {
    synchronized (this) {
      requests.add(request);
    }
    if (delegate != null) {
      return delegate.write(request);
    }
    return new EvidenceRef("memory://evidence/" + request.releaseId() + "/" + request.reason(),
        PolicyBuilder.digest(request.releaseId() + request.runId() + request.reason()), 5, 1000);
  }

  public synchronized List<EvidenceRequest> requests() {
    return List.copyOf(requests);
  }
}
