package dev.ripcord.workflows.policy;

import static dev.ripcord.workflows.policy.PolicyValidator.ACTIONS;
import static dev.ripcord.workflows.policy.PolicyValidator.CUSTOM_NAME;
import static dev.ripcord.workflows.policy.PolicyValidator.NAME;
import static dev.ripcord.workflows.policy.PolicyValidator.ROUTERS;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks release, router, evaluation and notification sections. Reports into the one {@link Problems} collector; pure. */
final class ReleaseChecks {
  private static final Pattern KUBERNETES_OBJECT =
      Pattern.compile("([a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?/)?[a-z0-9]([-a-z0-9.]{0,251}[a-z0-9])?");
  /** RFC 9110's token: what a header or cookie name may be. */
  private static final Pattern HTTP_TOKEN = Pattern.compile("[!#$%&'*+.^_`|~0-9A-Za-z-]{1,128}");
  private final Problems out;

  ReleaseChecks(Problems out) {
    this.out = out;
  }

  void checkRelease(ReleaseSpec r) {
    if (!out.required("$.release", r, "add release: {model, candidate, baseline}")) {
      return;
    }
    for (var f : List.of(Map.entry("model", nullToEmpty(r.model())), Map.entry("candidate", nullToEmpty(r.candidate())),
        Map.entry("baseline", nullToEmpty(r.baseline())))) {
      String path = "$.release." + f.getKey();
      if (f.getValue().isEmpty()) {
        out.problem(path, "is required", "name the " + f.getKey() + " version, e.g. chat-v2");
      } else if (!NAME.matcher(f.getValue()).matches()) {
        out.problem(path, "'" + f.getValue() + "' is not a valid name (it becomes part of the workflow id)",
            "use lower-case letters, digits, '.', '_' and '-', at most 63 characters");
      }
    }
    if (r.candidate() != null && r.candidate().equals(r.baseline())) {
      out.problem("$.release.candidate", "is the same as the baseline", "the candidate must be a different version");
    }
  }

  private static String nullToEmpty(String s) {
    return s == null ? "" : s;
  }

  void checkRouter(RouterSpec r) {
    if (!out.required("$.router", r, "add router: {type: http, url: ..., route: ...}")) {
      return;
    }
    if (out.required("$.router.type", r.type(), "write type: http") && !CUSTOM_NAME.matcher(r.type()).matches()) {
      if (!ROUTERS.contains(r.type())) {
        out.problem("$.router.type", "'" + r.type() + "' is not one of " + ROUTERS, "use one of " + String.join(", ",
            ROUTERS) + ", or x-<name> for a router your workers add");
      }
    }
    checkMirror(r);
    checkStickiness(r);
    if (RouterSpec.EXTERNAL.equals(r.type())) {
      return; // another controller moves traffic; route, if given, names its object for people
    }
    if (r.namesKubernetesObject()) {
      String what = "gateway-api".equals(r.type()) ? "HTTPRoute" : "InferenceService";
      if (out.required("$.router.route", r.route(), "the " + what + " as namespace/name, e.g. models/chat")
          && !KUBERNETES_OBJECT.matcher(r.route()).matches()) {
        out.problem("$.router.route", "'" + r.route() + "' does not name a Kubernetes " + what,
            "write namespace/name (or name, in the worker's namespace): lower-case letters, digits and '-'");
      }
      if (r.url() != null) {
        out.url("$.router.url", r.url()); // the API server; left out, the worker's kubeconfig or service account
      }
      return;
    }
    if ("haproxy".equals(r.type())) {
      if (out.required("$.router.url", r.url(), "HAProxy's Runtime API: tcp://127.0.0.1:9999 or unix:///run/haproxy/admin.sock")
          && !r.url().matches("tcp://[^/:]+:\\d{1,5}|unix:///\\S+")) {
        out.problem("$.router.url", "'" + r.url() + "' is not a Runtime API address",
            "write tcp://host:port or unix:///run/haproxy/admin.sock (a 'stats socket ... level admin')");
      }
      out.required("$.router.route", r.route(), "the HAProxy backend whose servers are named after the candidate and"
          + " baseline versions");
      return;
    }
    if (out.required("$.router.url", r.url(), "the gateway's base URL, e.g. http://gateway:8080")
        && !CUSTOM_NAME.matcher(String.valueOf(r.type())).matches()) {
      out.url("$.router.url", r.url());
    }
    out.required("$.router.route", r.route(), "the route (traffic split) the gateway knows this model by");
  }

  /** Mirroring needs a router that can copy requests: Gateway API's RequestMirror, or an HTTP or custom router. */
  private void checkMirror(RouterSpec r) {
    if (r.mirrorsShadow() && List.of("haproxy", "kserve", RouterSpec.EXTERNAL).contains(r.type())) {
      out.problem("$.router.mirror", "router.type " + r.type() + " cannot mirror requests to the candidate",
          "leave mirror out, or route through a Gateway API HTTPRoute (type: gateway-api), which mirrors with its"
              + " RequestMirror filter");
    }
  }

  /** A header or a cookie, named as HTTP allows, on a router that can keep a user on one version. */
  private void checkStickiness(RouterSpec r) {
    Stickiness s = r.stickiness();
    if (s == null) {
      return;
    }
    if ((s.header() == null) == (s.cookie() == null)) {
      out.problem("$.router.stickiness", s.header() == null ? "names neither a header nor a cookie"
          : "names both a header and a cookie", "write stickiness: {header: X-User-Id} or stickiness: {cookie: session}");
      return;
    }
    String field = s.header() != null ? "header" : "cookie";
    String name = s.header() != null ? s.header() : s.cookie();
    if (!HTTP_TOKEN.matcher(name).matches()) {
      out.problem("$.router.stickiness." + field, "'" + name + "' is not an HTTP " + field + " name",
          "use letters, digits and - _ . ! # $ % & ' * + ^ ` | ~, e.g. X-User-Id");
    }
    if ("kserve".equals(r.type())) {
      out.problem("$.router.stickiness", "KServe splits requests by canaryTrafficPercent and cannot keep a user on one"
          + " version", "route through a Gateway API HTTPRoute with session persistence (type: gateway-api) or HAProxy"
          + " (type: haproxy), or leave stickiness out");
    }
  }

  void checkEvaluation(EvaluationSpec e) {
    if (!out.required("$.evaluation", e, "add evaluation: {interval: 1m}")) {
      return;
    }
    out.duration("$.evaluation.interval", e.interval(), true, Duration.ofSeconds(1));
    if (e.maxInconclusive() != null && e.maxInconclusive() < 1) {
      out.problem("$.evaluation.maxInconclusive", "must be at least 1", "e.g. 5 windows");
    }
    out.oneOf("$.evaluation.onInconclusive", e.onInconclusive(), ACTIONS);
    if (e.falseRollbackBudget() != null && !(e.falseRollbackBudget() > 0 && e.falseRollbackBudget() < 0.5)) {
      out.problem("$.evaluation.falseRollbackBudget", e.falseRollbackBudget() + " is not a probability in (0, 0.5)",
          "e.g. 0.001: at most one false rollback in a thousand healthy releases");
    }
    out.duration("$.evaluation.horizon", e.horizon(), false, Duration.ofMinutes(1));
    int max = e.maxInconclusive() == null ? 5 : e.maxInconclusive();
    if (e.inconclusiveSpan() != null && (e.inconclusiveSpan() < max || e.inconclusiveSpan() > 10_000)) {
      out.problem("$.evaluation.inconclusiveSpan", e.inconclusiveSpan() + " is not between maxInconclusive (" + max
          + ") and 10000", "the windows maxInconclusive counts over, e.g. 20; leave it out for " + 4 * max);
    }
    if (e.minCoverage() != null && !(e.minCoverage() >= 0 && e.minCoverage() <= 1)) {
      out.problem("$.evaluation.minCoverage", e.minCoverage() + " is not a share between 0 and 1",
          "e.g. 0.5: every criterion conclusive in half of a stage's windows before it is promoted; 0 turns it off");
    }
    if (e.sampleRatio() != null) {
      out.oneOf("$.evaluation.sampleRatio.action", e.sampleRatio().action(), EvaluationSpec.SampleRatioSpec.ACTIONS);
      Double a = e.sampleRatio().alpha();
      if (a != null && !(a > 0 && a < 0.5)) {
        out.problem("$.evaluation.sampleRatio.alpha", a + " is not a probability in (0, 0.5)",
            "e.g. 0.001: one stage in a thousand whose split is right is flagged");
      }
      Double t = e.sampleRatio().tolerance();
      if (t != null && !(t >= 0 && t <= 0.5)) {
        out.problem("$.evaluation.sampleRatio.tolerance", t + " is not a share between 0 and 0.5",
            "e.g. 0.15: at a 10 % weight a split of 8.5 to 11.5 % is right; 0 tests the weight exactly");
      }
    }
    if (e.afterPromotion() != null) {
      EvaluationSpec.AfterPromotion a = e.afterPromotion();
      if (a.holdout() != null && (a.holdout() < 0 || a.holdout() > 50)) {
        out.problem("$.evaluation.afterPromotion.holdout", a.holdout() + " is not between 0 and 50",
            "the percent kept on the baseline while watching after promotion, e.g. 2");
      }
      out.duration("$.evaluation.afterPromotion.watch", a.watch(), true, Duration.ofSeconds(1));
    }
    if (e.windowsPerRun() != null && e.windowsPerRun() < 10) {
      out.problem("$.evaluation.windowsPerRun", "must be at least 10", "leave it out for the default (500)");
    }
  }

  /** {@code evidence.store}: a content-addressed directory on the worker, as an absolute {@code file:} URI. */
  void checkEvidence(EvidenceSpec e) {
    if (e == null) {
      return;
    }
    String path = "$.evidence.store";
    if (!out.required(path, e.store(), "where evidence bundles go, e.g. file:///var/lib/ripcord/evidence")) {
      return;
    }
    if (e.store().startsWith("s3://")) {
      out.problem(path, "S3-compatible buckets are not supported by this version",
          "write to a directory (file:///...) and sync it to the bucket; see docs/evidence.md");
    } else if (!e.store().matches("file:///[^\\s?#]+")) {
      out.problem(path, "'" + e.store() + "' is not an absolute file: URI", "write file:///var/lib/ripcord/evidence");
    }
  }

  void checkNotifications(NotificationSpec n) {
    if (n == null) {
      return;
    }
    if (n.webhook() != null) {
      out.url("$.notifications.webhook", n.webhook());
    }
    if (n.templates() != null) {
      n.templates().keySet().forEach(k -> out.oneOf("$.notifications.templates." + k, k, NotificationSpec.EVENTS));
    }
  }
}
