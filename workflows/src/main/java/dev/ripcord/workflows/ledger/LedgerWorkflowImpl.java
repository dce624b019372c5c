package dev.ripcord.workflows.ledger;

import dev.ripcord.workflows.intake.SignalPayloads;
import io.temporal.common.converter.RawValue;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeMap;

/** See {@link LedgerWorkflow}. Labels are taken one at a time in the main loop, each checked by an activity. */
public class LedgerWorkflowImpl implements LedgerWorkflow {
  static final int MAX_LOG = 500;
  static final int LABELS_PER_RUN = 500;
  private final LedgerActivities releases = Workflow.newActivityStub(LedgerActivities.class, LedgerActivities.OPTIONS);
  private final Deque<RawValue> inbox = new ArrayDeque<>();
  private TreeMap<String, AccuracyLedger.Entry> entries = new TreeMap<>();
  private List<String> log = new ArrayList<>();
  private LabelIdentity identity = new LabelIdentity(null);

  /** From this marker a label may carry a token (asked only when one does); before it, the field was unknown. */
  static final String SIGNED_LABELS = "signed-labels";

  @Override
  public void run(LedgerState carried) {
    if (carried != null) {
      entries = new TreeMap<>(carried.entries());
      log = new ArrayList<>(carried.log());
      identity = new LabelIdentity(carried.tokensUsed());
    }
    int taken = 0;
    while (taken < LABELS_PER_RUN && !Workflow.getInfo().isContinueAsNewSuggested()) {
      Workflow.await(() -> !inbox.isEmpty());
      take(inbox.removeFirst());
      taken++;
    }
    Workflow.await(Workflow::isEveryHandlerFinished);
    while (!inbox.isEmpty()) { // labels that arrived meanwhile go to the next run, none is lost
      take(inbox.removeFirst());
    }
    Workflow.continueAsNew(new LedgerState(entries, log, identity.used()));
  }

  private void take(RawValue raw) {
    SignalPayloads.Read read = SignalPayloads.read(raw);
    boolean signed = read.ok() && read.node() != null && read.node().has("token")
        && Workflow.getVersion(SIGNED_LABELS, Workflow.DEFAULT_VERSION, 1) >= 1;
    LabelRequest.Parsed p = read.ok() ? LabelRequest.parse(read.node(), signed)
        : new LabelRequest.Parsed(null, read.problem());
    if (p.request() == null) {
      note("REFUSED", "malformed label: " + p.problem() + "; payload: " + SignalPayloads.describe(raw));
      return;
    }
    LabelRequest q = p.request();
    ReleaseFacts facts;
    try {
      facts = releases.facts(q.releaseId());
    } catch (ActivityFailure f) {
      note("REFUSED", q.by() + ": label of " + q.releaseId() + " refused: " + root(f));
      return;
    }
    if (q.token() != null) {
      LabelIdentity.Who who = identity.check(q, facts);
      if (who.refusal() != null) {
        note("REFUSED", (q.by() == null ? "a signed label" : q.by()) + ": label of " + q.releaseId() + " refused: "
            + who.refusal());
        return;
      }
      q = q.by(who.by());
    }
    String refusal = AccuracyLedger.refusal(q, facts, signed && q.by() != null);
    if (refusal != null) {
      note("REFUSED", q.by() + ": label of " + q.releaseId() + " refused: " + refusal);
      return;
    }
    AccuracyLedger.Entry before = entries.get(q.releaseId());
    entries.put(q.releaseId(), new AccuracyLedger.Entry(q.releaseId(), q.outcome(), q.by(), q.role(), q.comment(),
        now(), q.foundAt(), facts));
    note("LABELLED", q.by() + ": " + q.releaseId() + " (" + facts.policy() + ", " + (facts.fired().isEmpty()
        ? "no criterion fired" : "fired " + facts.fired()) + ") is " + q.outcome()
        + (before == null ? "" : ", replacing " + before.outcome() + " by " + before.by())
        + (q.comment() == null ? "" : " — \"" + q.comment() + "\""));
  }

  private static String root(ActivityFailure f) {
    Throwable t = f;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null ? t.toString() : m.replaceFirst("^message='(.*)', type='.*$", "$1");
  }

  private String now() {
    return Instant.ofEpochMilli(Workflow.currentTimeMillis()).toString();
  }

  private void note(String kind, String message) {
    log.add(now() + " " + kind + " " + message);
    while (log.size() > MAX_LOG) {
      log.remove(0);
    }
  }

  @Override
  public void label(RawValue payload) {
    inbox.addLast(payload);
  }

  @Override
  public AccuracyLedger.Accuracy accuracy(String policy, String since) {
    return AccuracyLedger.of(entries.values(), policy, since);
  }

  @Override
  public List<AccuracyLedger.Entry> entries() {
    return List.copyOf(entries.values());
  }

  @Override
  public List<String> log() {
    return List.copyOf(log);
  }
}
