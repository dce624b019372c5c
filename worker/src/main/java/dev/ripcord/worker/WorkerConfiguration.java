package dev.ripcord.worker;

import dev.ripcord.activities.evidence.FileEvidenceActivities;
import dev.ripcord.activities.identity.JwksActivities;
import dev.ripcord.activities.ledger.HistoryFactsActivities;
import dev.ripcord.activities.notify.WebhookNotifierActivities;
import dev.ripcord.activities.observe.HttpJsonObservationActivities;
import dev.ripcord.activities.observe.ObservationSources;
import dev.ripcord.activities.playbook.HttpPlaybookActivities;
import dev.ripcord.activities.observe.PrometheusObservationActivities;
import dev.ripcord.activities.router.HaproxyRouterActivities;
import dev.ripcord.activities.router.HttpRouterActivities;
import dev.ripcord.activities.router.RouterTypes;
import dev.ripcord.activities.router.TrafficRouter;
import dev.ripcord.activities.router.kubernetes.GatewayApiRouterActivities;
import dev.ripcord.activities.router.kubernetes.KserveRouterActivities;
import dev.ripcord.activities.router.kubernetes.KubernetesObjects;
import dev.ripcord.activities.temporal.RipcordDataConverter;
import dev.ripcord.activities.temporal.SearchAttributeRegistration;
import io.temporal.client.WorkflowClient;
import java.net.http.HttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The activity beans the worker registers (named in application.yaml) and Ripcord's own metrics. */
@Configuration(proxyBeanMethods = false)
public class WorkerConfiguration {
  private static final Logger log = LoggerFactory.getLogger(WorkerConfiguration.class);

  /**
   * Picked up by the Temporal starter for the client and every worker: see {@link RipcordDataConverter}; encrypting
   * when {@code ripcord.codec.keys} names a keys file.
   */
  @Bean
  io.temporal.common.converter.DataConverter mainDataConverter(RipcordProperties props) {
    var keys = props.codec().encrypts()
        ? java.util.Optional.of(dev.ripcord.activities.temporal.codec.CodecKeys.from(props.codec().keys()))
        : java.util.Optional.<dev.ripcord.activities.temporal.codec.CodecKeys>empty();
    keys.ifPresent(k -> log.info("payloads encrypted with codec key '{}' ({} key(s) held for reading)", k.currentId(),
        k.ids().size()));
    return RipcordDataConverter.create(keys);
  }

  /** Worker Versioning, when this worker has a build id (see {@link WorkerVersioning}). */
  @Bean
  WorkerVersioning workerVersioning(RipcordProperties props) {
    return new WorkerVersioning(props.deployment());
  }

  /** This build made the deployment's current version at start-up, as {@code ripcord.deployment.current} says. */
  @Bean(destroyMethod = "close")
  CurrentBuild currentBuild(WorkflowClient client, RipcordProperties props) {
    return new CurrentBuild(client.getWorkflowServiceStubs(), client.getOptions().getNamespace(), props.deployment(),
        java.time.Duration.ofMinutes(2)).start();
  }

  @Bean
  HttpClient targetsHttpClient(RipcordProperties props) {
    return HttpClient.newBuilder().connectTimeout(props.http().connectTimeout()).build();
  }

  @Bean
  HttpRouterActivities httpRouter(HttpClient http, RipcordProperties props) {
    return new HttpRouterActivities(http, props.http().requestTimeout());
  }

  @Bean
  HaproxyRouterActivities haproxyRouter(RipcordProperties props) {
    return new HaproxyRouterActivities(props.http().requestTimeout());
  }

  /**
   * The Kubernetes API the Gateway API and KServe routers write to: the worker's kubeconfig, or its service account
   * in a cluster ({@code router.url} may name another API server). Nothing connects until a release uses one.
   */
  @Bean(destroyMethod = "close")
  KubernetesObjects kubernetesObjects() {
    return KubernetesObjects.fromEnvironment();
  }

  @Bean
  GatewayApiRouterActivities gatewayApiRouter(KubernetesObjects k8s) {
    return new GatewayApiRouterActivities(k8s);
  }

  @Bean
  KserveRouterActivities kserveRouter(KubernetesObjects k8s) {
    return new KserveRouterActivities(k8s);
  }

  /**
   * The router activity: each policy's {@code router.type} goes to the {@link TrafficRouter} bean of that type. A
   * team adds a router by declaring one more TrafficRouter bean (type {@code x-<name>}) in its own configuration.
   */
  @Bean
  RouterTypes routerActivities(java.util.List<TrafficRouter> routers) {
    log.info("routers: {}", routers.stream().map(TrafficRouter::type).sorted().toList());
    return new RouterTypes(routers);
  }

  /**
   * Evidence bundles for policies that name an evidence.store: reads the release's runs through this worker's
   * Temporal client (looked up when a bundle is written, so the client and the workers it serves start first).
   */
  @Bean
  FileEvidenceActivities evidenceActivities(org.springframework.beans.factory.ObjectProvider<WorkflowClient> client) {
    return new FileEvidenceActivities(client::getObject);
  }

  /** The accuracy ledger as metrics (ripcord_accuracy_*), refreshed every minute. */
  @Bean(destroyMethod = "close")
  AccuracyMetrics accuracyMetrics(org.springframework.beans.factory.ObjectProvider<WorkflowClient> client) {
    return new AccuracyMetrics(AccuracyMetrics.from(client::getObject), java.time.Duration.ofSeconds(
        Long.getLong("ripcord.accuracy.refresh-seconds", 60)));
  }

  /** What a release's histories say about it, for the accuracy ledger's labels. */
  @Bean
  HistoryFactsActivities ledgerActivities(org.springframework.beans.factory.ObjectProvider<WorkflowClient> client) {
    return new HistoryFactsActivities(client::getObject);
  }

  /** The trusted issuer's keys, for policies that verify who decides (governance.identity.mode: verified). */
  @Bean
  JwksActivities identityActivities(HttpClient http, RipcordProperties props) {
    return new JwksActivities(http, props.http().requestTimeout());
  }

  /** The namespace's record of spent tokens: a verified token decides in one release only. */
  @Bean
  dev.ripcord.activities.identity.TemporalSpentTokens spentTokenActivities(
      org.springframework.beans.factory.ObjectProvider<WorkflowClient> client) {
    return new dev.ripcord.activities.identity.TemporalSpentTokens(client::getObject,
        dev.ripcord.workflows.release.ReleaseWorkflow.TASK_QUEUE);
  }

  @Bean
  WebhookNotifierActivities notifierActivities(HttpClient http) {
    return new WebhookNotifierActivities(http);
  }

  @Bean
  HttpPlaybookActivities playbookActivities(HttpClient http, RipcordProperties props) {
    return new HttpPlaybookActivities(http, props.http().requestTimeout());
  }

  @Bean
  ObservationSources.Source prometheusSource(HttpClient http, RipcordProperties props) {
    return new ObservationSources.Source("prometheus", new PrometheusObservationActivities(http,
        props.http().requestTimeout()));
  }

  /** Evaluation services publishing scores as JSON; auth header values come from this process's environment. */
  @Bean
  ObservationSources.Source httpSource(HttpClient http, RipcordProperties props) {
    return new ObservationSources.Source("http", new HttpJsonObservationActivities(http,
        props.http().requestTimeout()));
  }

  /**
   * One activity for every observation source a policy may name: Prometheus, and with the sandbox on the class path
   * the demo's scripted scenarios (the sandbox's auto-configuration adds them).
   */
  @Bean
  ObservationSources observationActivities(java.util.List<ObservationSources.Source> sources) {
    ObservationSources all = ObservationSources.of(sources);
    log.info("observation sources: {}", all.names());
    return all;
  }

  /** Releases cannot upsert search attributes the namespace does not know: register them before work starts. */
  @Bean
  ApplicationRunner registerSearchAttributes(WorkflowClient client) {
    return args -> {
      var added = SearchAttributeRegistration.ensure(client.getWorkflowServiceStubs(),
          client.getOptions().getNamespace());
      if (!added.isEmpty()) {
        log.info("registered search attributes {} in namespace {}", added, client.getOptions().getNamespace());
      }
    };
  }

  /** {@code ripcord_releases{state}}: releases in each state in the namespace, from Temporal's visibility. */
  @Bean(destroyMethod = "close")
  ReleasesByState releasesByState(org.springframework.beans.factory.ObjectProvider<WorkflowClient> client) {
    return new ReleasesByState(query -> client.getObject().countWorkflows(query).getCount(),
        java.time.Duration.ofSeconds(Long.getLong("ripcord.releases.refresh-seconds", 15)));
  }

  /** {@code ripcord_criterion_statistic} and {@code _threshold}: each running release's criteria, for its panel. */
  @Bean(destroyMethod = "close")
  CriteriaGauges criteriaGauges(org.springframework.beans.factory.ObjectProvider<WorkflowClient> client) {
    return new CriteriaGauges(() -> client.getObject().listExecutions(CriteriaGauges.query())
        .limit(CriteriaGauges.MAX_RELEASES).map(m -> m.getExecution().getWorkflowId()).toList(),
        id -> client.getObject().newWorkflowStub(dev.ripcord.workflows.release.ReleaseWorkflow.class, id).decisions(),
        java.time.Duration.ofSeconds(Long.getLong("ripcord.releases.refresh-seconds", 15)));
  }
}
