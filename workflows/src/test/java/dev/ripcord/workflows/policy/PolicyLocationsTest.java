package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A problem found in a policy file points at its line and column and, for a near miss, at the likely name. */
class PolicyLocationsTest {
  private static String example() throws Exception {
    return Files.readString(Path.of("../examples/conversational-agent.yaml"));
  }

  private static PolicyProblem problemAt(List<PolicyProblem> problems, String path) {
    return problems.stream().filter(p -> p.path().equals(path)).findFirst()
        .orElseThrow(() -> new AssertionError("no problem at " + path + ": " + problems));
  }

  @Test
  void aMisspeltFieldNamesItsLineColumnAndTheFieldMeant() throws Exception {
    String text = example().replace("{name: canary, weight: 5,   bake: 30m", "{name: canary, weight: 5,   baek: 30m");
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyLoader.load("p.yaml", text));
    PolicyProblem p = problemAt(e.problems(), "$.stages[1].baek");
    assertEquals(28, p.line());
    assertEquals(text.lines().toList().get(27).indexOf("baek") + 1, p.column());
    assertTrue(p.hint().startsWith("did you mean 'bake'?"), p.hint());
    assertTrue(e.getMessage().contains("line 28, column " + p.column() + ": $.stages[1].baek: unknown field"),
        e.getMessage());
  }

  @Test
  void aMisspeltSignalGetsTheDeclaredOneAndAWrongValuePointsAtItsItem() throws Exception {
    String text = example().replace("when: {signal: hallucination, above: 8", "when: {signal: halucination, above: 8")
        .replace("{name: half,   weight: 50,", "{name: half,   weight: 500,");
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyLoader.load("p.yaml", text));
    PolicyProblem signal = problemAt(e.problems(), "$.criteria[1].when.signal");
    List<String> lines = text.lines().toList();
    assertEquals(lines.indexOf(lines.stream().filter(l -> l.contains("signal: halucination")).findFirst()
        .orElseThrow()) + 1, signal.line());
    assertTrue(signal.hint().startsWith("did you mean 'hallucination'?"), signal.hint());
    PolicyProblem weight = e.problems().stream().filter(p -> p.path().startsWith("$.stages[3]")).findFirst()
        .orElseThrow(() -> new AssertionError(e.problems().toString()));
    assertEquals(30, weight.line(), weight.toString());
  }

  @Test
  void aMissingFieldPointsAtTheNearestEnclosingPlace() throws Exception {
    String text = example().replace("{name: full,   weight: 100, bake: 1h}", "{name: full,   weight: 100}");
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class, () -> PolicyLoader.load("p.yaml", text));
    PolicyProblem bake = problemAt(e.problems(), "$.stages[4].bake");
    assertEquals(31, bake.line(), "the stage's list item: " + bake);
  }

  @Test
  void nearestNeedsANearMiss() {
    assertEquals("hallucination", Suggestions.nearest("Hallucinaton", List.of("toxicity", "hallucination")));
    assertNull(Suggestions.nearest("x", List.of("rollback", "continue")));
    assertNull(Suggestions.nearest("latency", List.of("hallucination")));
    assertEquals("rollback", Suggestions.nearest("rolback", List.of("rollback", "continue", "hold")));
  }
}
