package dev.ripcord.sandbox.embedded;

import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.activities.notify.WebhookNotifierActivities;
import dev.ripcord.sandbox.observe.Scenario;
import dev.ripcord.sandbox.observe.ScenarioObservationActivities;
import dev.ripcord.activities.router.HttpRouterActivities;
import dev.ripcord.workflows.policy.NotificationSpec;
import dev.ripcord.workflows.policy.ObservationSpec;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.release.ReleaseInput;
import dev.ripcord.workflows.release.ReleaseSearchAttributes;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.release.ReleaseWorkflowImpl;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.io.IOException;

/**
 * A self-contained world for one release, shared by {@code ripcord demo} and {@code ripcord drill}: the reference
 * gateway over real HTTP on loopback, an embedded time-skipping Temporal, and a worker with the real workflow and
 * activities; the policy is rewired to the gateway (router and notifications) and to a scripted scenario.
 */
public final class EmbeddedRelease implements AutoCloseable {
  public final ReferenceGateway gateway;
  public final TestWorkflowEnvironment env;
  public final WorkflowClient client;
  public final PolicyLoader.Loaded policy;

  private EmbeddedRelease(ReferenceGateway gateway, TestWorkflowEnvironment env, PolicyLoader.Loaded policy) {
    this.gateway = gateway;
    this.env = env;
    this.policy = policy;
    this.client = env.getWorkflowClient();
  }

  /** @param hook the name notifications are collected under at the gateway */
  public static EmbeddedRelease start(ReleasePolicy policy, String scenarioName, Scenario scenario, String hook)
      throws IOException {
    ReferenceGateway gateway = ReferenceGateway.start(0);
    ReleasePolicy wired = policy
        .withRouter(new RouterSpec("http", gateway.url(), policy.router().route()))
        .withObservations(new ObservationSpec("scripted", scenarioName))
        .withNotifications(new NotificationSpec(gateway.hookUrl(hook),
            policy.notifications() == null ? null : policy.notifications().channel(),
            policy.notifications() == null ? null : policy.notifications().templates()));
    TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance();
    ReleaseSearchAttributes.ALL.forEach(k ->
        env.registerSearchAttribute(k.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
    Worker worker = env.newWorker(ReleaseWorkflow.TASK_QUEUE);
    worker.registerWorkflowImplementationTypes(ReleaseWorkflowImpl.class);
    worker.registerActivitiesImplementations(new HttpRouterActivities(), new WebhookNotifierActivities(),
        new ScenarioObservationActivities().register(scenarioName, scenario), new RehearsedPlaybook(),
        new dev.ripcord.activities.identity.JwksActivities(),
        new dev.ripcord.activities.evidence.FileEvidenceActivities(env.getWorkflowClient()));
    env.start();
    return new EmbeddedRelease(gateway, env, new PolicyLoader.Loaded(wired, PolicyLoader.hash(wired)));
  }

  /** Starts the release; returns its workflow id. */
  public String startRelease() {
    ReleasePolicy p = policy.policy();
    ReleaseWorkflow wf = client.newWorkflowStub(ReleaseWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(p.releaseId()).setTaskQueue(ReleaseWorkflow.TASK_QUEUE).build());
    WorkflowClient.start(wf::run, ReleaseInput.start(p, policy.hash()));
    return p.releaseId();
  }

  /** A stub for a started release (queries and signals). */
  public ReleaseWorkflow release(String id) {
    return client.newWorkflowStub(ReleaseWorkflow.class, id);
  }

  @Override
  public void close() {
    env.close();
    gateway.close();
  }
}
