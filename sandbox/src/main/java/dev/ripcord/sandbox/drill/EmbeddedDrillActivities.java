package dev.ripcord.sandbox.drill;

import dev.ripcord.workflows.drill.DrillActivities;
import dev.ripcord.workflows.drill.DrillOutcome;
import dev.ripcord.workflows.drill.DrillRequest;
import dev.ripcord.workflows.policy.InvalidPolicyException;
import dev.ripcord.workflows.policy.PolicyLoader;
import io.temporal.failure.ApplicationFailure;

/**
 * The drill workflow's activity: {@link Drill#run} in the worker, so a scheduled drill rehearses the policy with the
 * workflow code this worker actually runs. Nothing leaves the process: the release runs on an in-process
 * time-skipping server against a loopback reference gateway, with rehearsed playbook activities.
 */
public final class EmbeddedDrillActivities implements DrillActivities {

  @Override
  public DrillOutcome run(DrillRequest request) {
    PolicyLoader.Loaded loaded;
    DrillScenario scenario;
    try {
      loaded = PolicyLoader.load("drill '" + request.name() + "' policy", request.policy());
      scenario = Drill.load(request.scenario(), loaded.policy());
    } catch (InvalidPolicyException | IllegalArgumentException | java.io.IOException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), INVALID);
    }
    try {
      Drill.Result r = Drill.run(loaded, scenario);
      return new DrillOutcome(request.name(), r.passed(), r.report().state().name(), loaded.hash(), r.checks(),
          r.timeline(), loaded.policy().notifications());
    } catch (Exception e) {
      throw ApplicationFailure.newFailure("the drill did not finish: " + e, "DrillCrashed");
    }
  }
}
