package dev.ripcord.workflows.testing;

import dev.ripcord.workflows.activity.PlaybookActivities;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The evidence store and data service, in memory, idempotent by key like the real ones must be. */
public class FakePlaybook implements PlaybookActivities {
  private final Map<String, EvidenceSnapshot> snapshots = new LinkedHashMap<>();
  private final Map<String, DataRule> dataRules = new LinkedHashMap<>();
  private final List<String> calls = new ArrayList<>();

  @Override
  public synchronized Receipt snapshotEvidence(EvidenceSnapshot s) {
    calls.add("snapshot " + s.idempotencyKey());
    snapshots.putIfAbsent(s.idempotencyKey(), s);
    return new Receipt("evidence://" + s.idempotencyKey());
  }

  @Override
  public synchronized Receipt applyDataRule(DataRule r) {
    calls.add("data " + r.idempotencyKey());
    dataRules.putIfAbsent(r.idempotencyKey(), r);
    return new Receipt(r.rule() + "d outputs of " + r.version());
  }

  public synchronized List<EvidenceSnapshot> snapshots() {
    return List.copyOf(snapshots.values());
  }

  public synchronized List<DataRule> dataRules() {
    return List.copyOf(dataRules.values());
  }

  public synchronized List<String> calls() {
    return List.copyOf(calls);
  }
}
