package dev.ripcord.sandbox.drill;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.drill.DrillActivities;
import dev.ripcord.workflows.drill.DrillOutcome;
import dev.ripcord.workflows.drill.DrillRequest;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The scheduled drill's activity runs the real drill on the example policy and scenarios. */
class EmbeddedDrillActivitiesTest {
  private static final Path EXAMPLES = Path.of("../examples");

  private static DrillOutcome run(String scenario) throws Exception {
    return new EmbeddedDrillActivities().run(new DrillRequest("t",
        Files.readString(EXAMPLES.resolve("conversational-agent.yaml")), scenario));
  }

  @Test
  void aDrillPassesOrFailsOnItsExpectations() throws Exception {
    String scenario = Files.readString(EXAMPLES.resolve("drills/hallucinations-when-exposed.yaml"));
    DrillOutcome passed = run(scenario);
    assertTrue(passed.passed(), passed.checks().toString());
    assertEquals("ROLLED_BACK", passed.finalState());
    assertTrue(passed.timeline().stream().anyMatch(l -> l.contains("TRIGGER")), passed.timeline().toString());
    assertEquals("#support-chat-releases", passed.notifications().channel());

    DrillOutcome failed = run(scenario.replace("within: 10m", "within: 1m"));
    assertFalse(failed.passed());
    assertEquals(1, failed.failures().size(), failed.checks().toString());
    assertTrue(failed.failures().get(0).contains("(expected within 1m)"), failed.failures().toString());
  }

  @Test
  void aScenarioThatDoesNotFitThePolicyIsRefusedForGood() {
    ApplicationFailure f = assertThrows(ApplicationFailure.class, () -> run("signals: {nope: {baseline: 1}}\n"
        + "expect: {state: DONE}\n"));
    assertEquals(DrillActivities.INVALID, f.getType());
    assertTrue(f.getOriginalMessage().contains("$.signals.nope: unknown signal"), f.getOriginalMessage());
    assertTrue(f.isNonRetryable());
  }
}
