package dev.ripcord.workflows.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeMap;

/**
 * How well the guard itself does, from people's labels of finished releases: per policy and per criterion, rollbacks
 * that were right, false rollbacks, incidents it missed, incidents it prevented, how long it took to detect, and the
 * bad outputs served before mitigation. Pure; the ledger workflow keeps the entries.
 */
public final class AccuracyLedger {
  /** Every criterion of a policy together. */
  public static final String ALL = "*";
  /** The criterion of a missed incident: none fired. */
  public static final String NONE = "(none fired)";

  private AccuracyLedger() {}

  /** One release's label, with what its history said. The latest label of a release replaces earlier ones. */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Entry(String releaseId, String outcome, String by, String role, String comment, String labelledAt,
      String foundAt, ReleaseFacts facts) {}

  /**
   * One policy and criterion.
   *
   * @param falseRollbackShare false rollbacks among the releases it acted on (null when it acted on none)
   * @param meanTimeToDetectMillis from the candidate's first exposure to the trigger, over the releases it acted on
   * @param badOutputs the candidate's bad outputs served before mitigation, summed, where known
   * @param meanTimeUnseenMillis for missed incidents: from exposure to when the incident was found
   */
  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Row(String policy, String criterion, int labelled, int rightRollbacks, int falseRollbacks,
      int missedIncidents, int incidentsPrevented, Double falseRollbackShare, Long meanTimeToDetectMillis,
      Long badOutputs, Long meanTimeUnseenMillis) {}

  @JsonInclude(JsonInclude.Include.NON_NULL)
  public record Accuracy(String policy, String since, int releases, List<Row> rows) {}

  /** The ledger over {@code entries}, for one policy (null: all) and releases labelled since {@code since}. */
  public static Accuracy of(Collection<Entry> entries, String policy, String since) {
    Instant from = since == null ? null : Instant.parse(since);
    TreeMap<String, List<Entry>> byKey = new TreeMap<>();
    int releases = 0;
    for (Entry e : entries) {
      if ((policy != null && !policy.equals(e.facts().policy()))
          || (from != null && Instant.parse(e.labelledAt()).isBefore(from))) {
        continue;
      }
      releases++;
      List<String> criteria = e.facts().fired() == null || e.facts().fired().isEmpty() ? List.of(NONE)
          : e.facts().fired();
      byKey.computeIfAbsent(e.facts().policy() + "\u0000" + ALL, k -> new ArrayList<>()).add(e);
      for (String c : criteria) {
        byKey.computeIfAbsent(e.facts().policy() + "\u0000" + c, k -> new ArrayList<>()).add(e);
      }
    }
    List<Row> rows = new ArrayList<>();
    byKey.forEach((key, list) -> rows.add(row(key.substring(0, key.indexOf('\u0000')),
        key.substring(key.indexOf('\u0000') + 1), list)));
    return new Accuracy(policy, since, releases, rows);
  }

  private static Row row(String policy, String criterion, List<Entry> list) {
    int[] n = new int[Outcome.values().length];
    long detect = 0;
    int detected = 0;
    Long bad = null;
    long unseen = 0;
    int missed = 0;
    for (Entry e : list) {
      Outcome o = Outcome.of(e.outcome());
      n[o.ordinal()]++;
      ReleaseFacts f = e.facts();
      if (o.acted() && f.exposedAt() != null && f.triggeredAt() != null) {
        detect += Math.max(0, millis(f.triggeredAt()) - millis(f.exposedAt()));
        detected++;
      }
      if (f.badOutputs() != null) {
        bad = (bad == null ? 0 : bad) + f.badOutputs();
      }
      if (o == Outcome.MISSED_INCIDENT && e.foundAt() != null && f.exposedAt() != null) {
        unseen += Math.max(0, millis(e.foundAt()) - millis(f.exposedAt()));
        missed++;
      }
    }
    int acted = n[Outcome.RIGHT_ROLLBACK.ordinal()] + n[Outcome.FALSE_ROLLBACK.ordinal()]
        + n[Outcome.INCIDENT_PREVENTED.ordinal()];
    return new Row(policy, criterion, list.size(), n[Outcome.RIGHT_ROLLBACK.ordinal()],
        n[Outcome.FALSE_ROLLBACK.ordinal()], n[Outcome.MISSED_INCIDENT.ordinal()],
        n[Outcome.INCIDENT_PREVENTED.ordinal()],
        acted == 0 ? null : (double) n[Outcome.FALSE_ROLLBACK.ordinal()] / acted,
        detected == 0 ? null : detect / detected, bad, missed == 0 ? null : unseen / missed);
  }

  private static long millis(String iso) {
    return Instant.parse(iso).toEpochMilli();
  }

  /**
   * Why {@code by} (in {@code role}, if given) may not label this release, or null when they may: a principal of a
   * role holding its {@code rollback} right, once the release has ended; under verified identity only as the person
   * a token names ({@code verified}).
   */
  public static String refusal(LabelRequest q, ReleaseFacts f) {
    return refusal(q, f, false);
  }

  /** As {@link #refusal(LabelRequest, ReleaseFacts)}, {@code verified} when a token named {@code q.by()}. */
  public static String refusal(LabelRequest q, ReleaseFacts f, boolean verified) {
    if (f.verifiesIdentity() && !verified) {
      return "release " + f.releaseId() + " verifies identity; a typed name does not count: label it with a token"
          + " from its issuer (ripcord label --token-file FILE, or RIPCORD_TOKEN)";
    }
    if ("RUNNING".equals(f.state())) {
      return "release " + f.releaseId() + " has not ended; label it once it has completed or rolled back";
    }
    for (var r : f.labellers().entrySet()) {
      if ((q.role() == null || q.role().equals(r.getKey())) && r.getValue().contains(q.by())) {
        return null;
      }
    }
    return q.by() + (q.role() == null ? "" : " (as " + q.role() + ")") + " may not label " + f.releaseId()
        + ": labels come from the roles holding its rollback right, " + f.labellers().keySet();
  }
}
