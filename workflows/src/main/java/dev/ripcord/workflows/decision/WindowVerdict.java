package dev.ripcord.workflows.decision;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The engine's verdict for one window: which criteria fired or are pending, and a sentence with the numbers, e.g.
 * "hallucination-limit fired: hallucination 11.2/10k > 8/10k in 2 of last 3 windows".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record WindowVerdict(
    int window,
    String t,
    String stage,
    Verdict verdict,
    List<String> fired,
    List<String> pending,
    List<CriterionResult> results,
    String explanation) {

  public boolean triggered() {
    return verdict != Verdict.CONTINUE && verdict != Verdict.ALERT;
  }

  public boolean inconclusive() {
    return results.stream().anyMatch(r -> r.status() == CriterionResult.Status.INCONCLUSIVE);
  }
}
