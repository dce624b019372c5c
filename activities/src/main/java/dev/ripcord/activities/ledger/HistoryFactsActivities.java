package dev.ripcord.activities.ledger;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.activities.history.HistoryObservations;
import dev.ripcord.activities.history.ReleaseRuns;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.ledger.LedgerActivities;
import dev.ripcord.workflows.ledger.ReleaseFacts;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.CriterionSpec;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseReport;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The accuracy ledger's reader: what a release's own histories say (its policy, what fired, when users first saw the
 * candidate, when it was triggered and mitigated, the bad outputs served meanwhile, who may label it).
 */
public class HistoryFactsActivities implements LedgerActivities {
  private static final ObjectMapper JSON = new ObjectMapper()
      .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);
  private static final Pattern EXPOSED = Pattern.compile("candidate \\d+ → ([1-9]\\d*) %");
  private final Supplier<WorkflowClient> clients;

  public HistoryFactsActivities(Supplier<WorkflowClient> clients) {
    this.clients = clients;
  }

  @Override
  public ReleaseFacts facts(String releaseId) {
    List<WorkflowExecutionHistory> runs;
    try {
      runs = ReleaseRuns.of(clients.get(), releaseId, null);
    } catch (RuntimeException e) {
      throw ApplicationFailure.newNonRetryableFailure("no release " + releaseId + " in this namespace (never started,"
          + " or removed after the namespace's retention): " + e.getMessage(), NOT_FOUND);
    }
    ReleaseInput input = ReleaseRuns.input(runs.get(0).getEvents());
    if (input == null) {
      throw ApplicationFailure.newNonRetryableFailure(releaseId + " is not a Ripcord release", NOT_FOUND);
    }
    ReleasePolicy policy = input.policy();
    HistoryEvent end = runs.get(runs.size() - 1).getLastEvent();
    String started = Instant.ofEpochSecond(runs.get(0).getEvents().get(0).getEventTime().getSeconds()).toString();
    Map<String, List<String>> labellers = labellers(policy);
    if (!end.hasWorkflowExecutionCompletedEventAttributes()) {
      return new ReleaseFacts(releaseId, policy.release().model(), input.policyHash(), "RUNNING", List.of(), started,
          null, null, null, null, labellers, policy.governance().verifiesIdentity(), identity(policy));
    }
    ReleaseReport report = read(end.getWorkflowExecutionCompletedEventAttributes().getResult().getPayloads(0)
        .getData().toByteArray(), ReleaseReport.class);
    Set<String> fired = new LinkedHashSet<>();
    String exposedAt = null;
    for (AuditEntry e : report.audit()) {
      if (e.kind().equals("TRIGGER")) {
        for (CriterionSpec c : policy.criteria()) {
          if (e.message().contains(c.name())) {
            fired.add(c.name());
          }
        }
      }
      Matcher m = EXPOSED.matcher(e.message());
      if (exposedAt == null && e.kind().equals("ACTION") && m.find()) {
        exposedAt = e.at();
      }
    }
    Long bad = fired.isEmpty() || exposedAt == null ? null
        : badOutputs(runs, policy, fired, exposedAt, report.mitigatedAt() != null ? report.mitigatedAt()
            : report.triggeredAt());
    return new ReleaseFacts(releaseId, policy.release().model(), report.policyHash(), report.state().name(),
        List.copyOf(fired), started, exposedAt, report.triggeredAt(), report.mitigatedAt(), bad, labellers,
        policy.governance().verifiesIdentity(), identity(policy));
  }

  /** How the policy verifies identity, for signed labels; null under declared identity. */
  private static dev.ripcord.workflows.policy.IdentitySpec identity(ReleasePolicy policy) {
    return policy.governance().verifiesIdentity() ? policy.governance().identity() : null;
  }

  /** The roles holding the rollback right, and their principals. */
  private static Map<String, List<String>> labellers(ReleasePolicy p) {
    Map<String, List<String>> out = new LinkedHashMap<>();
    DecisionRight rollback = p.governance().right("rollback");
    for (String role : rollback == null ? List.<String>of() : rollback.roles()) {
      out.put(role, p.governance().roles().getOrDefault(role, List.of()));
    }
    return out;
  }

  /** The candidate's events of the fired criteria's rate signals in windows from exposure to {@code until}. */
  private static Long badOutputs(List<WorkflowExecutionHistory> runs, ReleasePolicy policy, Set<String> fired,
      String exposedAt, String until) {
    Set<String> signals = new LinkedHashSet<>();
    for (String c : fired) {
      collect(policy.criterion(c).when(), signals);
    }
    signals.removeIf(s -> policy.signal(s) == null || !policy.signal(s).isRate());
    if (signals.isEmpty()) {
      return null;
    }
    Instant from = Instant.parse(exposedAt);
    Instant to = until == null ? Instant.MAX : Instant.parse(until);
    long bad = 0;
    for (WorkflowExecutionHistory run : runs) {
      for (JsonNode o : HistoryObservations.of(run)) {
        Instant t = o.hasNonNull("t") ? Instant.parse(o.get("t").asText()) : null;
        if (t == null || t.isBefore(from) || t.isAfter(to)) {
          continue;
        }
        for (String s : signals) {
          bad += o.path("signals").path(s).path("candidate").path("events").asLong(0);
        }
      }
    }
    return bad;
  }

  private static void collect(ConditionSpec c, Set<String> out) {
    if (c == null) {
      return;
    }
    if (c.signal() != null) {
      out.add(c.signal());
    }
    for (List<ConditionSpec> children : new ArrayList<>(java.util.Arrays.asList(c.allOf(), c.anyOf(), c.of()))) {
      if (children != null) {
        children.forEach(x -> collect(x, out));
      }
    }
  }

  private static <T> T read(byte[] json, Class<T> type) {
    try {
      return JSON.readValue(json, type);
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailure("not a Ripcord release history: " + e.getMessage(), NOT_FOUND);
    }
  }
}
