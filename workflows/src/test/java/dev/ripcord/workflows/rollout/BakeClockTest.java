package dev.ripcord.workflows.rollout;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The bake clock without Temporal: paused time does not bake, samples gate promotion, windows roll. */
class BakeClockTest {
  private static final long MINUTE = 60_000;

  @Test
  void pausedTimeDoesNotCountTowardTheBake() {
    BakeClock c = new BakeClock();
    c.enterStage(0);
    c.startWatching(0);
    c.tick(5 * MINUTE, false);
    c.tick(15 * MINUTE, true); // paused for ten minutes
    c.tick(20 * MINUTE, false);
    assertEquals(10 * MINUTE, c.bakedMillis());
    assertTrue(c.baked(10 * MINUTE, 0));
    assertFalse(c.baked(10 * MINUTE, 1), "no samples yet");
    c.countSamples(3);
    assertTrue(c.baked(10 * MINUTE, 3));
  }

  @Test
  void theNextWakeUpIsTheWindowOrTheEndOfTheBakeWhicheverComesFirst() {
    BakeClock c = new BakeClock();
    c.enterStage(0);
    c.startWatching(0);
    c.tick(9 * MINUTE, false);
    assertEquals(MINUTE, c.nextWait(9 * MINUTE, 15 * MINUTE, 10 * MINUTE, 0, true), "bake ends before the window");
    assertEquals(-4 * MINUTE, c.nextWait(9 * MINUTE, 5 * MINUTE, 30 * MINUTE, 0, true), "window overdue");
    c.closeWindow(9 * MINUTE);
    assertEquals(5 * MINUTE, c.nextWait(9 * MINUTE, 5 * MINUTE, 30 * MINUTE, 0, true));
    assertEquals(5 * MINUTE, c.nextWait(9 * MINUTE, 5 * MINUTE, 10 * MINUTE, 0, false),
        "not counting (paused or asking people): only the window");
    assertEquals(5 * MINUTE, c.nextWait(9 * MINUTE, 5 * MINUTE, 10 * MINUTE, 100, true),
        "samples missing: only the window");
  }

  @Test
  void aWindowRemembersWhetherObservationsWerePushedDuringIt() {
    BakeClock c = new BakeClock();
    c.enterStage(0);
    assertFalse(c.windowDue(MINUTE - 1, MINUTE));
    assertTrue(c.windowDue(MINUTE, MINUTE));
    c.pushed();
    assertTrue(c.closeWindow(MINUTE));
    assertFalse(c.closeWindow(2 * MINUTE));
    assertEquals(2 * MINUTE, c.windowStartedAt());
  }

  @Test
  void aNewStageStartsFromNothing() {
    BakeClock c = new BakeClock();
    c.enterStage(0);
    c.startWatching(0);
    c.tick(MINUTE, false);
    c.countSamples(10);
    c.enterStage(2 * MINUTE);
    assertEquals(0, c.bakedMillis());
    assertEquals(0, c.stageSamples());
    assertEquals(2 * MINUTE, c.stageStartedAt());
  }

  @Test
  void aStageIsCoveredWhenEachCriterionWasConclusiveInEnoughOfItsWindows() {
    BakeClock c = new BakeClock();
    c.enterStage(0);
    assertEquals(List.of("a: 0 of 0 windows conclusive"), c.coverageShortfall(List.of("a"), 0.5),
        "no window yet: no evidence");
    c.countWindow(List.of("a", "b"));
    c.countWindow(List.of("b"));
    c.countWindow(List.of("b"));
    assertEquals(List.of("a: 1 of 3 windows conclusive"), c.coverageShortfall(List.of("a", "b"), 0.5));
    c.countWindow(List.of("a", "b"));
    assertEquals(List.of(), c.coverageShortfall(List.of("a", "b"), 0.5), "2 of 4");
    assertEquals(List.of(), c.coverageShortfall(List.of("a", "b"), 0.0), "0 turns it off");
    c.enterStage(10 * MINUTE);
    assertEquals(List.of(), c.coverageShortfall(List.of("a"), 0.0), "off even before a window");
    assertEquals(List.of("a: 0 of 0 windows conclusive"), c.coverageShortfall(List.of("a"), 0.5), "a new stage");
  }
}
