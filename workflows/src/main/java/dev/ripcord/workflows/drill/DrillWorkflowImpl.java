package dev.ripcord.workflows.drill;

import dev.ripcord.workflows.activity.NotifierActivities;
import dev.ripcord.workflows.activity.NotifierActivities.Notification;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;

/** Runs one drill and reports it: completed when every expectation passed, failed (and announced) otherwise. */
public class DrillWorkflowImpl implements DrillWorkflow {
  private final DrillActivities drills = Workflow.newActivityStub(DrillActivities.class, DrillActivities.OPTIONS);
  private final NotifierActivities notifier =
      Workflow.newActivityStub(NotifierActivities.class, NotifierActivities.OPTIONS);

  @Override
  public DrillOutcome run(DrillRequest request) {
    String id = Workflow.getInfo().getWorkflowId();
    Workflow.setCurrentDetails("running drill '" + request.name() + "'");
    DrillOutcome o;
    try {
      o = drills.run(request);
    } catch (ActivityFailure f) {
      Throwable cause = f.getCause();
      String why = cause instanceof ApplicationFailure a ? a.getOriginalMessage() : String.valueOf(cause);
      Workflow.setCurrentDetails("drill '" + request.name() + "' could not run: " + why);
      throw ApplicationFailure.newNonRetryableFailure("drill '" + request.name() + "' could not run: " + why,
          "DrillError");
    }
    Workflow.setCurrentDetails("drill '" + request.name() + "' " + (o.passed() ? "passed" : "FAILED") + ": "
        + String.join("; ", o.checks()));
    if (o.passed()) {
      return o;
    }
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("releaseId", id);
    facts.put("drill", request.name());
    facts.put("reason", String.join("; ", o.failures()));
    String text = "DRILL FAILED " + request.name() + " (" + id + "): " + String.join("; ", o.failures());
    try {
      notifier.notify(new Notification(id, o.notifications(), "drill-failed", text, facts,
          id + "/" + Workflow.getInfo().getRunId() + "/drill-failed"));
    } catch (ActivityFailure f) {
      Workflow.getLogger(DrillWorkflowImpl.class).warn("drill failure notification failed: {}", f.getMessage());
    }
    throw ApplicationFailure.newNonRetryableFailure("drill '" + request.name() + "' failed: "
        + String.join("; ", o.failures()), "DrillFailed", o);
  }
}
