package dev.ripcord.bench.live;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;
import io.temporal.activity.ActivityOptions;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;

/**
 * The floor the reaction benchmark compares Ripcord with: the least a Temporal workflow can do between a signal and
 * a router call (wait for the signal, run one activity that PUTs a weight), on the same server and gateway.
 */
@WorkflowInterface
public interface FloorWorkflow {
  String TASK_QUEUE = "bench-floor";

  @WorkflowMethod
  void run(String route);

  @SignalMethod
  void breach();

  @ActivityInterface
  interface Router {
    @ActivityMethod
    void put(String route, String key);
  }

  class Impl implements FloorWorkflow {
    private final Router router = Workflow.newActivityStub(Router.class,
        ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(20)).build());
    private boolean breached;

    @Override
    public void run(String route) {
      Workflow.await(() -> breached);
      router.put(route, Workflow.getInfo().getWorkflowId() + "/1");
    }

    @Override
    public void breach() {
      breached = true;
    }
  }
}
