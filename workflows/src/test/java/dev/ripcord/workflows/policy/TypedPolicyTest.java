package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The policy's enumerated values and condition forms as the code reads them; the text a policy writes is unchanged. */
class TypedPolicyTest {

  @Test
  void enumeratedValuesReadAsEnumsAndUnknownTextAsNull() {
    assertEquals(Action.ROLLBACK_AFTER_APPROVAL, Action.of("rollback-after-approval"));
    assertNull(Action.of("rollback-later"), "unknown text is a problem for the validator, never an exception");
    assertNull(OnTimeout.of(null));
    assertEquals(List.of("rollback", "rollback-after-approval", "pause-and-investigate", "alert-only"),
        PolicyValidator.ACTIONS);
    assertEquals(List.of("rollback", "continue", "hold"), PolicyValidator.ON_TIMEOUT);
    assertEquals(SignalKind.RATE, new SignalSpec("e", "rate", "quality", "higher-is-worse", 100, true, null)
        .kindType());
  }

  @Test
  void aMisspeltActionIsAProblemWithTheLikelyOne() {
    ReleasePolicy p = dev.ripcord.workflows.testing.PolicyBuilder.chat().hallucinationLimit(8, "rolback", 2, 3).build();
    List<PolicyProblem> problems = PolicyValidator.validate(p);
    PolicyProblem action = problems.stream().filter(x -> x.path().equals("$.criteria[0].action")).findFirst()
        .orElseThrow(() -> new AssertionError(problems.toString()));
    assertEquals("did you mean 'rollback'?", action.hint());
  }

  @Test
  void eachConditionNodeHasExactlyOneForm() {
    ConditionSpec leaf = new ConditionSpec("e", 2.0, null, null, null, null, null, null, null, null);
    assertInstanceOf(Condition.Leaf.class, leaf.form());
    Condition.Composite all = (Condition.Composite) new ConditionSpec(null, null, null, null, null, null,
        List.of(leaf, leaf), null, null, null).form();
    assertEquals(2, all.need());
    assertEquals("allOf", all.key());
    assertEquals("$.when.allOf[1]", all.childPath("$.when", 1));
    Condition.Composite some = (Condition.Composite) new ConditionSpec(null, null, null, null, null, null, null,
        null, 2, List.of(leaf, leaf, leaf)).form();
    assertEquals("at least 2 of", some.label());
    assertEquals(new Condition.Malformed(0), new ConditionSpec(null, null, null, null, null, null, null, null, null,
        null).form());
    assertEquals(new Condition.Malformed(2), new ConditionSpec("e", 2.0, null, null, null, null, List.of(leaf), null,
        null, null).form());
  }

  @Test
  void theTextAPolicyWritesCarriesNoneOfTheTypedViews() throws Exception {
    ReleasePolicy p = PolicyLoader.load("example", Files.readString(Path.of("../examples/conversational-agent.yaml")))
        .policy();
    String json = PolicyLoader.toJson(p);
    for (String view : List.of("actionType", "severityType", "sourceType", "pushed", "form", "kindType",
        "categoryType", "directionType", "timeoutDefault", "rate")) {
      assertFalse(json.contains("\"" + view + "\" :"), view + " leaked into " + json);
    }
    assertTrue(json.contains("\"action\" : \"rollback\""), json);
  }
}
