package dev.ripcord.workflows.drill;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ripcord.workflows.policy.NotificationSpec;
import java.util.List;

/**
 * What a drill showed: each expectation with PASS or FAIL, the release's timeline (relative workflow times), and
 * where the policy sends notifications (so a failed drill is announced where its release would be).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DrillOutcome(String name, boolean passed, String finalState, String policyHash, List<String> checks,
    List<String> timeline, NotificationSpec notifications) {

  /** The failed expectations, for the failure message. */
  public List<String> failures() {
    return checks.stream().filter(c -> c.startsWith("FAIL")).toList();
  }
}
