package dev.ripcord.workflows.ledger;

import io.temporal.common.converter.RawValue;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;

/**
 * The accuracy ledger: one long-running workflow per namespace ({@link #ID}) that takes people's labels of finished
 * releases ({@code label} signal), checks each against the release's own history, and answers how well the guard
 * does ({@code accuracy} query). Refused labels are recorded in its log, never fail it.
 */
@WorkflowInterface
public interface LedgerWorkflow {
  String ID = "ripcord-accuracy-ledger";

  /** @param carried the ledger so far when it continues as new, null when it starts */
  @WorkflowMethod(name = "AccuracyLedger")
  void run(LedgerState carried);

  @SignalMethod(name = "label")
  void label(RawValue payload);

  /** @param policy one policy's rows only (null: all); @param since ISO-8601, labels from then on (null: all) */
  @QueryMethod(name = "accuracy")
  AccuracyLedger.Accuracy accuracy(String policy, String since);

  @QueryMethod(name = "entries")
  List<AccuracyLedger.Entry> entries();

  /** What the ledger took and refused, newest last: {@code <time> LABELLED|REFUSED <message>}. */
  @QueryMethod(name = "log")
  List<String> log();

  /**
   * What the ledger carries across continue-as-new.
   *
   * @param tokensUsed the signed labels' tokens taken and not yet expired (token id to expiry); null before labels
   *     could be signed
   */
  record LedgerState(java.util.TreeMap<String, AccuracyLedger.Entry> entries, List<String> log,
      java.util.TreeMap<String, Long> tokensUsed) {
    public LedgerState(java.util.TreeMap<String, AccuracyLedger.Entry> entries, List<String> log) {
      this(entries, log, null);
    }
  }
}
