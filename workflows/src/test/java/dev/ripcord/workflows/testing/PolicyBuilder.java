package dev.ripcord.workflows.testing;

import dev.ripcord.workflows.policy.BundlePart;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.CriterionSpec;
import dev.ripcord.workflows.policy.EvaluationSpec;
import dev.ripcord.workflows.policy.GovernanceSpec;
import dev.ripcord.workflows.policy.GovernanceSpec.DecisionRight;
import dev.ripcord.workflows.policy.NotificationSpec;
import dev.ripcord.workflows.policy.ObservationSpec;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.ReleaseSpec;
import dev.ripcord.workflows.policy.RollbackSpec;
import dev.ripcord.workflows.policy.RouterSpec;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.policy.StageSpec;
import dev.ripcord.workflows.policy.SustainSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A small policy for tests: model {@code chat}, candidate {@code v2} over baseline {@code v1}, one rate signal
 * {@code hallucination} per 10k (with baseline) and one value signal {@code latency_p99_ms}; roles safety-lead
 * (alice), product-owner (bob) and on-call (carol). Stages, criteria and rights are added by the test.
 */
public final class PolicyBuilder {
  private String source = "scripted";
  private String interval = "1m";
  private Integer maxInconclusive = 5;
  private String onInconclusive;
  private Integer windowsPerRun;
  private final List<StageSpec> stages = new ArrayList<>();
  private final List<CriterionSpec> criteria = new ArrayList<>();
  private final Map<String, DecisionRight> rights = new LinkedHashMap<>();
  private List<RollbackSpec.Step> rollback = List.of(new RollbackSpec.Step(10, "1m"), new RollbackSpec.Step(0, null));
  private String webhook;
  private List<ObservationSpec.AlertRule> alerts;
  private final Map<String, List<String>> extraRoles = new LinkedHashMap<>();
  private String model = "chat";
  private String routerUrl = "http://gateway.test:8080";
  private RouterSpec router;
  private Double minCoverage;
  private RollbackSpec.UnsafeAfter unsafeAfter;
  private EvaluationSpec.AfterPromotion afterPromotion;
  private dev.ripcord.workflows.policy.PlaybookSpec playbook;
  private dev.ripcord.workflows.policy.IdentitySpec identity;
  private Map<String, BundlePart> bundle;
  private boolean paired;
  private boolean scored;
  private boolean histograms;
  private boolean byUser;
  private boolean sharesByUser;
  private dev.ripcord.workflows.policy.JudgeSpec judge;
  private String evidenceStore;
  private Map<String, BundlePart> baselineBundle;

  public static PolicyBuilder chat() {
    return new PolicyBuilder();
  }

  /** Alertmanager alerts the release acts on: name, action pairs. */
  public PolicyBuilder alert(String alertname, String action) {
    alerts = alerts == null ? new ArrayList<>() : alerts;
    alerts.add(new ObservationSpec.AlertRule(alertname, action, null));
    return this;
  }

  /** Observations from {@code source} (prometheus, http, x-...), without that source's settings. */
  public PolicyBuilder source(String source) {
    this.source = source;
    return this;
  }

  public PolicyBuilder pushed() {
    source = "pushed";
    return this;
  }

  public PolicyBuilder interval(String interval) {
    this.interval = interval;
    return this;
  }

  public PolicyBuilder inconclusive(int max, String action) {
    maxInconclusive = max;
    onInconclusive = action;
    return this;
  }

  /**
   * {@code evaluation.minCoverage: 0}: stages promote on time alone, however few windows had data. For tests of the
   * plumbing (routers, workers, faults) that push one window or none; a real policy keeps the default.
   */
  public PolicyBuilder promotesOnTime() {
    minCoverage = 0.0;
    return this;
  }

  /** {@code evaluation.afterPromotion}: a holdout of {@code holdout} % on the baseline, watched for {@code watch}. */
  public PolicyBuilder afterPromotion(int holdout, String watch) {
    afterPromotion = new EvaluationSpec.AfterPromotion(holdout, watch);
    return this;
  }

  /** {@code rollback.unsafeAfter}: from {@code stage} on, a trigger freezes instead of rolling back. */
  public PolicyBuilder unsafeAfter(String stage, String reason, String... page) {
    unsafeAfter = new RollbackSpec.UnsafeAfter(stage, reason, page.length == 0 ? null : List.of(page));
    return this;
  }

  /** How people are known: governance.identity (null: declared, as typed). */
  public PolicyBuilder identity(dev.ripcord.workflows.policy.IdentitySpec spec) {
    this.identity = spec;
    return this;
  }

  /** A release bundle for candidate v2 and baseline v1 (weights digests by version, {@code prompt} as system prompt). */
  public PolicyBuilder bundle(String prompt, BundlePart.Irreversible indexIrreversible) {
    bundle = new LinkedHashMap<>();
    bundle.put("weights", new BundlePart("v2", digest("v2"), "s3://models/chat/v2/", null, null));
    bundle.put("systemPrompt", new BundlePart(prompt, digest(prompt), null, null, null));
    bundle.put("decoding", new BundlePart("d1", digest("d1"), null, Map.of("temperature", 0.7, "maxTokens", 1024),
        null));
    bundle.put("retrievalIndex", new BundlePart("idx-2026-11", digest("idx-2026-11"), "s3://indexes/2026-11/", null,
        indexIrreversible));
    baselineBundle = new LinkedHashMap<>();
    baselineBundle.put("weights", new BundlePart("v1", digest("v1"), "s3://models/chat/v1/", null, null));
    baselineBundle.put("systemPrompt", new BundlePart("support@3", digest("support@3"), null, null, null));
    return this;
  }

  /** A digest that depends only on {@code what}: stands in for the real content hash. */
  public static String digest(String what) {
    return "sha256:" + String.format("%064x", new java.math.BigInteger(1, what.getBytes(
        java.nio.charset.StandardCharsets.UTF_8)).mod(java.math.BigInteger.TWO.pow(255)));
  }

  /**
   * A paired signal {@code judged_bad} (a judge's verdict on the candidate's and the baseline's answers to the same
   * prompts) with a criterion {@code same-prompt-quality}: mSPRT on its discordant pairs, tolerated ratio 1.0.
   */
  public PolicyBuilder pairedJudge(String action) {
    paired = true;
    criteria.add(new CriterionSpec("same-prompt-quality", null, "critical", action,
        new ConditionSpec("judged_bad", null, null, 1.0, null, 200L, null, null, null, null, "msprt", null, null,
            null, null, null), null));
    return this;
  }

  /**
   * A graded score {@code utility_score} (a mean, lower is worse, with the baseline) and a criterion
   * {@code utility-drift}: the always-valid test of means, rolling back below {@code margin} times the baseline's.
   */
  public PolicyBuilder utilityTest(double margin, String action) {
    scored = true;
    criteria.add(new CriterionSpec("utility-drift", null, "critical", action,
        new ConditionSpec("utility_score", null, null, null, margin, null, null, null, null, null, "msprt", null,
            null, null, null, null), null));
    return this;
  }

  /**
   * A latency histogram {@code latency_ms} (a quantile, with the baseline) and a criterion
   * {@code latency-regression}: the candidate's p99 above {@code ratio} times the baseline's, tested sequentially.
   */
  public PolicyBuilder latencyTest(double ratio, String action) {
    histograms = true;
    criteria.add(new CriterionSpec("latency-regression", null, "critical", action,
        new ConditionSpec("latency_ms", null, null, ratio, null, null, null, null, null, null, "msprt", null,
            null, null, null, null, 0.99), null));
    return this;
  }

  /**
   * A rate {@code flagged} whose outputs come in users who stick to one arm ({@code unit: user}, with the baseline)
   * and a criterion {@code flagged-vs-baseline}: the mixture test against the baseline, compared over users.
   */
  public PolicyBuilder byUser(String action) {
    byUser = true;
    criteria.add(new CriterionSpec("flagged-vs-baseline", null, "critical", action,
        new ConditionSpec("flagged", null, null, 1.0, null, null, null, null, null, null, "msprt", null,
            null, null, null, null), null));
    return this;
  }

  /** The latency histogram {@code latency_ms} and the paired signal {@code judged_bad} come in users ({@code unit}). */
  public PolicyBuilder sharesByUser() {
    sharesByUser = true;
    return this;
  }

  /** Evidence bundles to this store ({@code evidence.store}). */
  public PolicyBuilder evidence(String store) {
    evidenceStore = store;
    return this;
  }

  /** The LLM judge that scores {@code hallucination}. */
  public PolicyBuilder judge(dev.ripcord.workflows.policy.JudgeSpec j) {
    judge = j;
    return this;
  }

  public PolicyBuilder windowsPerRun(int n) {
    windowsPerRun = n;
    return this;
  }

  public PolicyBuilder stage(String name, int weight, String bake) {
    stages.add(new StageSpec(name, weight, bake, null, null));
    return this;
  }

  public PolicyBuilder gatedStage(String name, int weight, String bake) {
    stages.add(new StageSpec(name, weight, bake, null, true));
    return this;
  }

  /** hallucination above {@code perTenK} per 10k, sustained {@code m} of {@code n} windows. */
  public PolicyBuilder hallucinationLimit(double perTenK, String action, int m, int n) {
    criteria.add(new CriterionSpec("hallucination-limit", null, "critical", action,
        new ConditionSpec("hallucination", perTenK, null, null, null, 1000L, null, null, null, null),
        new SustainSpec(m, n)));
    return this;
  }

  /** hallucination above {@code perTenK} per 10k, sustained for {@code duration} of time ({@code sustain.for}). */
  public PolicyBuilder hallucinationLimitFor(double perTenK, String action, String duration) {
    criteria.add(new CriterionSpec("hallucination-limit", null, "critical", action,
        new ConditionSpec("hallucination", perTenK, null, null, null, 1000L, null, null, null, null),
        new SustainSpec(null, null, duration)));
    return this;
  }

  /** As {@link #hallucinationLimit} with action rollback and {@code breakGlass: true}. */
  public PolicyBuilder hallucinationBreakGlass(double perTenK, int m, int n) {
    criteria.add(new CriterionSpec("hallucination-limit", null, "critical", "rollback",
        new ConditionSpec("hallucination", perTenK, null, null, null, 1000L, null, null, null, null),
        new SustainSpec(m, n), null, true));
    return this;
  }

  public PolicyBuilder latencyLimit(double ms, String action) {
    criteria.add(new CriterionSpec("latency-limit", null, "warning", action,
        new ConditionSpec("latency_p99_ms", ms, null, null, null, null, null, null, null, null), null));
    return this;
  }

  public PolicyBuilder right(String kind, List<String> roles, String deadline, String onTimeout) {
    rights.put(kind, new DecisionRight(roles, deadline, onTimeout));
    return this;
  }

  /** Another model (and router route) of the same shape, so several releases can run side by side. */
  public PolicyBuilder model(String name) {
    model = name;
    return this;
  }

  /** Where the router (gateway) is. */
  public PolicyBuilder router(String url) {
    routerUrl = url;
    return this;
  }

  /** Any router, e.g. {@code new RouterSpec("haproxy", "tcp://127.0.0.1:9999", "models")}. */
  public PolicyBuilder router(RouterSpec spec) {
    router = spec;
    return this;
  }

  public PolicyBuilder playbook(dev.ripcord.workflows.policy.PlaybookSpec p) {
    playbook = p;
    return this;
  }

  /** Replaces (or adds) a role's principals. */
  public PolicyBuilder role(String name, String... principals) {
    extraRoles.put(name, List.of(principals));
    return this;
  }

  public PolicyBuilder right(String kind, DecisionRight right) {
    rights.put(kind, right);
    return this;
  }

  public PolicyBuilder rollbackSteps(RollbackSpec.Step... steps) {
    rollback = List.of(steps);
    return this;
  }

  public PolicyBuilder webhook(String url) {
    webhook = url;
    return this;
  }

  private List<SignalSpec> signals() {
    List<SignalSpec> out = new ArrayList<>(List.of(
        new SignalSpec("hallucination", "rate", "quality", "higher-is-worse", 10000, true, null, judge),
        new SignalSpec("latency_p99_ms", "quantile", "operational", "higher-is-worse", null, false, null)));
    if (scored) {
      out.add(new SignalSpec("utility_score", "mean", "quality", "lower-is-worse", null, true, "a judge's usefulness"
          + " score per answer, 0 to 1"));
    }
    if (byUser) {
      out.add(new SignalSpec("flagged", "rate", "quality", null, 10000, true, "answers a reviewer flags", null,
          "user"));
    }
    if (histograms) {
      out.add(new SignalSpec("latency_ms", "quantile", "operational", "higher-is-worse", null, true, "time to a"
          + " complete answer, a histogram per arm", null, sharesByUser ? "user" : null));
    }
    if (paired) {
      out.add(new SignalSpec("judged_bad", "paired", "quality", null, null, null, "the judge's verdict on both"
          + " answers to the same prompt", null, sharesByUser ? "user" : null));
    }
    return out;
  }

  public ReleasePolicy build() {
    Map<String, DecisionRight> decisions = new LinkedHashMap<>(rights);
    decisions.putIfAbsent("rollback", new DecisionRight(List.of("safety-lead", "on-call"), "30m", "rollback"));
    decisions.putIfAbsent("pause", new DecisionRight(List.of("safety-lead", "on-call", "product-owner"), null, null));
    decisions.putIfAbsent("resume", new DecisionRight(List.of("safety-lead"), "4h", "rollback"));
    decisions.putIfAbsent("promote", new DecisionRight(List.of("product-owner"), "2h", "hold"));
    Map<String, List<String>> roles = new LinkedHashMap<>();
    roles.put("safety-lead", List.of("alice@example.com"));
    roles.put("product-owner", List.of("bob@example.com"));
    roles.put("on-call", List.of("carol@example.com"));
    roles.putAll(extraRoles);
    return new ReleasePolicy(ReleasePolicy.API_VERSION,
        new ReleaseSpec(model, "v2", "v1", "conversational-agent", new ReleaseSpec.Artifacts("p-7", "td-3", "eval-12"),
            bundle, baselineBundle),
        router != null ? router : new RouterSpec("http", routerUrl, model),
        new ObservationSpec(source, null, null, alerts == null ? null : List.copyOf(alerts)),
        new EvaluationSpec(interval, maxInconclusive, onInconclusive, windowsPerRun, null, null, null, minCoverage,
            afterPromotion),
        stages.isEmpty() ? List.of(new StageSpec("canary", 10, "10m", null, null),
            new StageSpec("full", 100, "10m", null, null)) : List.copyOf(stages),
        signals(),
        criteria.isEmpty() ? List.of(new CriterionSpec("hallucination-limit", null, "critical", "rollback",
            new ConditionSpec("hallucination", 8.0, null, null, null, 1000L, null, null, null, null),
            new SustainSpec(2, 3))) : List.copyOf(criteria),
        new GovernanceSpec(roles, decisions, identity),
        new RollbackSpec(rollback, unsafeAfter),
        new NotificationSpec(webhook, "#releases", Map.of("triggered", "{model} {candidate}: {reason}")))
        .withPlaybook(playbook).withEvidence(evidenceStore == null ? null
            : new dev.ripcord.workflows.policy.EvidenceSpec(evidenceStore));
  }
}
