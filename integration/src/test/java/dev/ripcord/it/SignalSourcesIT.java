package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.integration.Alertmanager;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.ModelExporter;
import dev.ripcord.integration.Proc;
import dev.ripcord.integration.Prometheus;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.CriterionSpec;
import dev.ripcord.workflows.policy.EvaluationSpec;
import dev.ripcord.workflows.policy.ObservationSpec.PrometheusSpec;
import dev.ripcord.workflows.policy.ObservationSpec.SignalQuery;
import dev.ripcord.workflows.policy.ObservationSpec;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.policy.StageSpec;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Signals from the real monitoring stack: a serving layer's counters ({@link ModelExporter}) scraped by a real
 * Prometheus, read each window by the release's PromQL ({@code examples/summarizer-prometheus.yaml}); and alerts
 * evaluated by that Prometheus, routed by a real Alertmanager to the worker's ingress with a bearer token.
 */
class SignalSourcesIT {
  static final String TOKEN = "it-" + Long.toHexString(System.nanoTime());
  static final String CANDIDATE = "sum-2026-11-b";
  static final String BASELINE = "sum-2026-10-a";
  static final ModelExporter.Rates HEALTHY = new ModelExporter.Rates(500, 0.0005, 0.001, 0.002);
  // The baseline serves the other 95 % of the canary's traffic: a different split is a sample ratio mismatch.
  static final ModelExporter.Rates BASELINE_RATES = new ModelExporter.Rates(9500, 0.0005, 0.001, 0.002);
  static final String RULES = """
      groups:
        - name: genai
          rules:
            - alert: ModelSafetySpike
              expr: >
                sum by (model, version) (rate(genai_safety_blocked_total[5s]))
                / sum by (model, version) (rate(genai_outputs_total[5s])) > 0.02
              labels:
                severity: critical
                ripcord_release: 'release-{{ $labels.model }}-{{ $labels.version }}'
              annotations:
                summary: '{{ $labels.version }} has {{ $value | humanizePercentage }} of outputs blocked'
      """;

  static DevServer server;
  static WorkerProcess worker;
  static ReferenceGateway gateway;
  static ModelExporter exporter;
  static Alertmanager alertmanager;
  static Prometheus prometheus;
  static ReleasePolicy example;

  @BeforeAll
  static void up() throws Exception {
    server = new DevServer();
    worker = new WorkerProcess(server, "--ripcord.ingress.token=" + TOKEN);
    gateway = ReferenceGateway.start(0);
    exporter = new ModelExporter();
    alertmanager = new Alertmanager(worker.url() + "/ingress/alertmanager", TOKEN);
    prometheus = new Prometheus(exporter.target(), alertmanager.target(), RULES);
    example = PolicyLoader.load("summarizer-prometheus.yaml",
        Files.readString(Components.root().resolve("examples/summarizer-prometheus.yaml"))).policy();
  }

  @AfterAll
  static void down() {
    for (AutoCloseable c : new AutoCloseable[] {prometheus, alertmanager, exporter, gateway, worker, server}) {
      try {
        if (c != null) c.close();
      } catch (Exception e) {
        // keep stopping the others
      }
    }
  }

  /** The example policy, for a model of its own, against this test's Prometheus, gateway and a 2 s window. */
  private static ReleasePolicy policy(String model, String prometheusUrl, UnaryOperator<String> queryEdit) {
    exporter.serve(model, CANDIDATE, HEALTHY);
    exporter.serve(model, BASELINE, BASELINE_RATES);
    Map<String, SignalQuery> queries = new LinkedHashMap<>();
    example.observations().prometheus().queries().forEach((k, q) -> queries.put(k, new SignalQuery(
        q.events() == null ? null : queryEdit.apply(q.events()), q.trials() == null ? null : queryEdit.apply(q.trials()),
        q.value() == null ? null : queryEdit.apply(q.value()))));
    return new ReleasePolicy(example.apiVersion(), new ReleaseSpec(model, CANDIDATE, BASELINE, null, null),
        new RouterSpec("http", gateway.url(), model),
        new ObservationSpec("prometheus", null, new PrometheusSpec(prometheusUrl, queries),
            example.observations().alerts()),
        new EvaluationSpec("2s", 2, "pause-and-investigate", null),
        List.of(new StageSpec("canary", 5, "10m", null, null)), example.signals(), example.criteria(),
        example.governance(), example.rollback(), null);
  }

  private static List<Integer> weights(String route) {
    return gateway.changes().stream().filter(c -> c.route().equals(route)).map(c -> c.weights().get(CANDIDATE))
        .toList();
  }

  private static List<String> audit(ReleaseWorkflow wf, String kind) {
    return wf.audit().stream().filter(e -> e.kind().equals(kind)).map(AuditEntry::message).toList();
  }

  @Test
  void aPromqlSourceWatchesTheCandidateAndRollsBackWhenItDegrades() throws Exception {
    ReleasePolicy p = policy("summarizer-poll", prometheus.url(), q -> q);
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    Thread.sleep(8000); // four healthy windows read from Prometheus
    assertEquals(ReleaseState.ROLLING_OUT, wf.status().state(), wf.status().line());
    var healthy = wf.decisions();
    assertTrue(healthy.size() >= 3, "windows evaluated: " + healthy.size());
    assertEquals("continue", healthy.get(healthy.size() - 1).verdict().label(), healthy.toString());

    exporter.serve("summarizer-poll", CANDIDATE, new ModelExporter.Rates(500, 0.02, 0.001, 0.002));
    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(90));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertEquals(List.of(5, 0), weights("summarizer-poll"));
    assertTrue(r.audit().stream().anyMatch(e -> e.kind().equals("TRIGGER")
        && e.message().contains("unsupported-claims-vs-baseline")), r.audit().toString());
  }

  private void assertInconclusive(ReleasePolicy p, String reason) {
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.PAUSED_FOR_INVESTIGATION, Duration.ofSeconds(60));
    List<String> unreadable = audit(wf, "OBSERVATION");
    assertTrue(unreadable.size() >= 2 && unreadable.stream().allMatch(m -> m.contains("window could not be read")
        && m.contains("counted as inconclusive") && m.contains(reason)), unreadable.toString());
    assertTrue(wf.decisions().stream().flatMap(d -> d.results().stream())
            .noneMatch(c -> c.status() == dev.ripcord.workflows.decision.CriterionResult.Status.OK),
        "no criterion ever judged a window healthy: " + wf.decisions());
    assertEquals(List.of(5), weights(p.release().model()), "exposure frozen at the canary weight");
    wf.rollback(Releases.json(Map.of("by", "carol@example.com", "comment", "test cleanup")));
  }

  @Test
  void badPromqlIsAnAuditedInconclusiveNeverHealthy() {
    assertInconclusive(policy("summarizer-badql", prometheus.url(), q -> q.replace("sum(increase(", "sum(increase((")),
        "Prometheus rejected the query for unsupported_claim.events (bad_data");
  }

  @Test
  void anUnreachablePrometheusIsAnAuditedInconclusiveNeverHealthy() {
    assertInconclusive(policy("summarizer-down", "http://127.0.0.1:" + Components.freePort(), q -> q),
        "is unreachable");
  }

  @Test
  void anEmptyResultIsAnAuditedInconclusiveNeverHealthy() {
    assertInconclusive(policy("summarizer-empty", prometheus.url(),
            q -> q.replace("version=\"{version}\"", "version=\"{version}-typo\"")),
        "the query gave 0 series (nothing scraped for this version in this window?)");
  }

  @Test
  void anAlertRoutedByAlertmanagerReachesTheReleaseAndDrivesThePolicysAction() throws Exception {
    ReleasePolicy p = policy("summarizer-push", prometheus.url(), q -> q);
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));

    HttpResponse<String> noToken = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
            URI.create(worker.url() + "/ingress/alertmanager")).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString("{\"alerts\": []}")).build(), HttpResponse.BodyHandlers.ofString());
    assertEquals(401, noToken.statusCode(), "the ingress wants Alertmanager's bearer token");

    exporter.serve("summarizer-push", CANDIDATE, new ModelExporter.Rates(500, 0.0005, 0.2, 0.002));
    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(90));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertEquals(List.of(5, 0), weights("summarizer-push"));
    AuditEntry trigger = r.audit().stream().filter(e -> e.kind().equals("TRIGGER")).findFirst().orElseThrow();
    assertTrue(trigger.message().contains("alert ModelSafetySpike (" + CANDIDATE + " has ")
        && trigger.message().contains("of outputs blocked) is firing"), trigger.message());
    assertTrue(r.audit().stream().anyMatch(e -> e.kind().equals("STATE")
        && e.message().contains("automatic rollback: alert:ModelSafetySpike")), r.audit().toString());
  }

  @Test
  void genAiPresetsReadLatencyAndTokensPerVersionFromOpenTelemetryMetrics() throws Exception {
    String candidate = "genai-chat-v2";
    String baseline = "genai-chat-v1";
    exporter.serveGenAi(candidate, new ModelExporter.GenAi(40, 0.2, 0.001, 300));
    exporter.serveGenAi(baseline, new ModelExporter.GenAi(760, 0.2, 0.001, 300)); // the canary's 5 : 95 split
    Map<String, SignalQuery> presets = Map.of(
        "latency_p99_ms", new SignalQuery(null, null, null, "genai.latency.p99", null),
        "output_tokens", new SignalQuery(null, null, null, "genai.tokens.output.mean", null),
        "genai_errors", new SignalQuery(null, null, null, "genai.errors", null),
        "latency_ms", new SignalQuery(null, null, null, "genai.latency", null));
    List<SignalSpec> signals = List.of(
        new SignalSpec("latency_p99_ms", "quantile", "operational", null, null, true, null),
        new SignalSpec("output_tokens", "mean", "user-experience", null, null, true, null),
        new SignalSpec("genai_errors", "rate", "operational", null, 100, true, null),
        new SignalSpec("latency_ms", "quantile", "operational", null, null, true, null));
    List<CriterionSpec> criteria = List.of(
        new CriterionSpec("latency-limit", null, "critical", "rollback", new ConditionSpec("latency_p99_ms", 4000.0,
            null, null, null, null, null, null, null, null), null),
        new CriterionSpec("verbosity", null, "info", "alert-only", new ConditionSpec("output_tokens", 2000.0,
            null, null, null, null, null, null, null, null), null),
        new CriterionSpec("errors", null, "warning", "alert-only", new ConditionSpec("genai_errors", 20.0,
            null, null, null, null, null, null, null, null), null),
        new CriterionSpec("latency-regression", null, "warning", "alert-only", new ConditionSpec("latency_ms", null,
            null, 1.2, null, null, null, null, null, null, "msprt", null, null, null, null, null, 0.99), null));
    ReleasePolicy p = new ReleasePolicy(example.apiVersion(), new ReleaseSpec("genai-chat", candidate, baseline, null,
        null), new RouterSpec("http", gateway.url(), "genai-chat"),
        new ObservationSpec("prometheus", null, new PrometheusSpec(prometheus.url(), presets), null),
        new EvaluationSpec("2s", 5, "pause-and-investigate", null),
        List.of(new StageSpec("canary", 5, "10m", null, null)), signals, criteria, example.governance(),
        example.rollback(), null);
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    Proc.eventually("a conclusive window read through the presets", Duration.ofSeconds(40),
        () -> wf.decisions().stream().anyMatch(d -> d.verdict().label().equals("continue")
            && d.explanation().matches(".*latency_p99_ms \\d+ <= 4000.*")), () -> wf.status().line());
    var ok = wf.decisions().stream().filter(d -> d.verdict().label().equals("continue")
        && d.explanation().matches(".*latency_p99_ms \\d+ <= 4000.*")).reduce((a, b) -> b).orElseThrow();
    // Exponential durations with a 0.2 s mean: p99 ≈ 0.92 s, bucketed (1 s bound); about 300 output tokens.
    assertTrue(ok.explanation().matches(".*latency_p99_ms \\d{3,4} <= 4000.*"), ok.explanation());
    assertTrue(ok.explanation().matches(".*output_tokens (2[5-9]\\d|3[0-4]\\d) <= 2000.*"), ok.explanation());
    assertTrue(ok.explanation().contains("genai_errors"), ok.explanation());
    // The histogram preset reads each version's buckets in ms (the exporter's bounds are seconds: p99 ≈ 920 ms, not
    // 0.92), and the test runs on the candidate's share beyond 1.2 x the baseline's p99.
    assertTrue(ok.explanation().matches(".*latency_ms p99 candidate \\d{3,4} \\(n [\\d,]+\\); [\\d.]+ % of its"
        + " requests beyond \\d{3,4} \\(1\\.20 × baseline p99 [5-9]\\d\\d, interpolated within its bucket\\), mSPRT.*"),
        ok.explanation());

    exporter.serveGenAi(candidate, new ModelExporter.GenAi(40, 3.0, 0.001, 300)); // 15x slower
    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(90));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    assertTrue(r.audit().stream().anyMatch(e -> e.kind().equals("TRIGGER") && e.message().contains("latency-limit")
        && e.message().contains("> 4000")), r.audit().toString());
    assertTrue(r.audit().stream().anyMatch(e -> e.message().contains("latency-regression fired: latency_ms p99"
        + " candidate")), r.audit().toString());
    assertEquals(List.of(5, 0), gateway.changes().stream().filter(c -> c.route().equals("genai-chat"))
        .map(c -> c.weights().get(candidate)).toList());
  }

  @Test
  void pairedJudgementsOfTheSamePromptsReadFromPrometheusRollBackAShadowStage() throws Exception {
    String model = "summarizer-paired";
    exporter.servePairs(model, CANDIDATE, BASELINE, new ModelExporter.Pairs(400, 0.03, 0.03));
    String pairs = "sum(increase(genai_judged_pairs_total{model=\"{model}\",candidate=\"{candidate}\","
        + "baseline=\"{baseline}\",outcome=\"%s\"}[{window}]))";
    Map<String, SignalQuery> queries = Map.of("judged_bad", SignalQuery.paired(String.format(pairs, "candidate_worse"),
        String.format(pairs, "baseline_worse"), String.format(pairs, "concordant")));
    List<SignalSpec> signals = List.of(new SignalSpec("judged_bad", "paired", "quality", null, null, null,
        "the judge scored both answers to the same prompt"));
    List<CriterionSpec> criteria = List.of(new CriterionSpec("same-prompt-quality", null, "critical", "rollback",
        new ConditionSpec("judged_bad", null, null, 1.0, null, 100L, null, null, null, null, "msprt", null, null,
            null, null, null), null));
    ReleasePolicy p = new ReleasePolicy(example.apiVersion(), new ReleaseSpec(model, CANDIDATE, BASELINE, null, null),
        new RouterSpec("http", gateway.url(), model),
        new ObservationSpec("prometheus", null, new PrometheusSpec(prometheus.url(), queries), null),
        new EvaluationSpec("2s", 5, "pause-and-investigate", null),
        List.of(new StageSpec("shadow", 0, "10m", null, null), new StageSpec("canary", 5, "10m", null, null)),
        signals, criteria, example.governance(), example.rollback(), null);
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.SHADOW, Duration.ofSeconds(30));
    Proc.eventually("a conclusive paired window read from Prometheus", Duration.ofSeconds(40),
        () -> wf.decisions().stream().anyMatch(d -> d.verdict().label().equals("continue")
            && d.explanation().contains("same-prompt pairs this window")), () -> wf.status().line());
    assertEquals("shadow", wf.status().stage(), "an even split keeps the shadow stage going");

    exporter.servePairs(model, CANDIDATE, BASELINE, new ModelExporter.Pairs(400, 0.09, 0.03)); // 3:1 worse
    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(90));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    String trigger = r.audit().stream().filter(e -> e.kind().equals("TRIGGER")).map(AuditEntry::message)
        .findFirst().orElseThrow(() -> new AssertionError(r.audit().toString()));
    assertTrue(trigger.contains("same-prompt-quality") && trigger.contains("mSPRT on discordant pairs"), trigger);
    assertTrue(weights(model).stream().allMatch(w -> w == 0), "never exposed: " + weights(model));
  }

  @Test
  void scoresWithTheirSampleAndLatencyHistogramsAreReadFromPrometheusAndTheTestOfMeansRollsBack() throws Exception {
    String model = "scored-chat";
    String candidate = "scored-v2";
    String baseline = "scored-v1";
    // The 5 % canary's split: 100 of 2,000 scored outputs a second, 20 of 400 operations, go to the candidate.
    exporter.serveScores(model, candidate, new ModelExporter.Scores(100, 0.8, 0.25));
    exporter.serveScores(model, baseline, new ModelExporter.Scores(1_900, 0.8, 0.25));
    exporter.serveGenAi(candidate, new ModelExporter.GenAi(20, 0.2, 0.001, 300));
    exporter.serveGenAi(baseline, new ModelExporter.GenAi(380, 0.2, 0.001, 300));
    String score = "sum(increase(genai_score_%s{model=\"{model}\",version=\"{version}\",name=\"utility\"}[{window}]))";
    Map<String, SignalQuery> queries = Map.of(
        "utility_score", SignalQuery.sample(String.format(score, "count"), String.format(score, "sum"),
            String.format(score, "sum_squares")),
        "latency_s", SignalQuery.histogram("sum by (le) (increase(gen_ai_client_operation_duration_seconds_bucket{"
            + "gen_ai_request_model=\"{version}\"}[{window}]))"));
    List<SignalSpec> signals = List.of(
        new SignalSpec("utility_score", "mean", "quality", "lower-is-worse", null, true, "a judge's usefulness score"),
        new SignalSpec("latency_s", "quantile", "operational", null, null, true, "operation duration"));
    var yaml = new com.fasterxml.jackson.dataformat.yaml.YAMLMapper();
    List<CriterionSpec> criteria = List.of(
        new CriterionSpec("utility-drift", null, "critical", "rollback",
            yaml.readValue("{signal: utility_score, baselineRatioBelow: 0.97, test: msprt}", ConditionSpec.class), null),
        new CriterionSpec("latency-vs-baseline", null, "critical", "rollback", yaml.readValue(
            "{signal: latency_s, quantile: 0.99, baselineRatioAbove: 1.5, test: msprt}", ConditionSpec.class), null));
    ReleasePolicy p = new ReleasePolicy(example.apiVersion(), new ReleaseSpec(model, candidate, baseline, null, null),
        new RouterSpec("http", gateway.url(), model),
        new ObservationSpec("prometheus", null, new PrometheusSpec(prometheus.url(), queries), null),
        new EvaluationSpec("2s", 5, "pause-and-investigate", null),
        List.of(new StageSpec("canary", 5, "10m", null, null)), signals, criteria, example.governance(),
        example.rollback(), null);
    ReleaseWorkflow wf = Releases.start(server.client(), p);
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(30));
    Proc.eventually("a conclusive window of scores and histograms read from Prometheus", Duration.ofSeconds(40),
        () -> wf.decisions().stream().anyMatch(d -> d.verdict().label().equals("continue")
            && d.explanation().contains("always-valid confidence not < 0.97")
            && d.explanation().contains("latency_s p99 candidate")), () -> wf.status().line());
    var ok = wf.decisions().stream().filter(d -> d.explanation().contains("latency_s p99 candidate")).findFirst()
        .orElseThrow();
    assertTrue(ok.explanation().contains("interpolated within its bucket") && ok.explanation().contains("mSPRT on the"
        + " share beyond it against 1.00 %"), ok.explanation());
    assertEquals(ReleaseState.ROLLING_OUT, wf.status().state(), wf.status().line());

    exporter.serveScores(model, candidate, new ModelExporter.Scores(100, 0.72, 0.25)); // 10 % less useful
    ReleaseReport r = Releases.result(wf, Duration.ofSeconds(120));
    assertEquals(ReleaseState.ROLLED_BACK, r.state(), r.audit().toString());
    String trigger = r.audit().stream().filter(e -> e.kind().equals("TRIGGER")).map(AuditEntry::message)
        .findFirst().orElseThrow(() -> new AssertionError(r.audit().toString()));
    assertTrue(trigger.contains("utility-drift") && trigger.contains("always-valid confidence < 0.97"), trigger);
    assertTrue(r.audit().stream().noneMatch(e -> e.kind().equals("SAMPLE_RATIO")), "the split is right");
  }
}
