package dev.ripcord.workflows.release;

import dev.ripcord.workflows.release.state.RollbackRequest;
import java.util.List;

/**
 * What the release does next, as every part that judges returns it: the engine's verdict on a window
 * ({@link Watch#evaluate}), a firing alert's rule ({@link Watch#onAlert}) and a settled human decision
 * ({@link Asking#settle}). Only {@link ReleaseRun} acts on it: it alone enters the states. A router's refusal, the
 * one way to {@link ReleaseState#HALTED}, is thrown ({@link Traffic.Refused}) because any router call may meet it.
 */
sealed interface Next {
  Continue CONTINUE = new Continue();
  Promote PROMOTE = new Promote();

  /** Nothing changes: the release goes on in the state it is in. */
  record Continue() implements Next {}

  /** The stage is promoted: the release enters the next stage (or completes after the last). */
  record Promote() implements Next {}

  /** The release rolls back now, for {@code request}. */
  record RollBack(RollbackRequest request) implements Next {}

  /**
   * A person (or a deadline's default) let the release watch on: a rollback refused, an investigation closed. It
   * returns to its watching state, {@code why} in the audit.
   */
  record WatchOn(String why) implements Next {}

  /** The release waits for people: it opens a decision for {@code right} and enters {@code state}. */
  record AskPeople(String right, String reason, List<String> criteria, ReleaseState state) implements Next {}

  /** Past the point of no return a trigger freezes the release: people decide the rollback, without a deadline. */
  record Freeze(String why, List<String> criteria) implements Next {}

  /** Whether this ends the stage being watched. */
  default boolean endsStage() {
    return this instanceof Promote || this instanceof RollBack;
  }
}
