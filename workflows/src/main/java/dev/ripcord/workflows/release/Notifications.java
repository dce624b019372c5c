package dev.ripcord.workflows.release;

import dev.ripcord.workflows.activity.NotifierActivities;
import dev.ripcord.workflows.activity.NotifierActivities.Notification;
import dev.ripcord.workflows.audit.AuditText;
import dev.ripcord.workflows.policy.NotificationSpec;
import dev.ripcord.workflows.policy.PlaybookSpec;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.LinkedHashMap;
import java.util.Map;

/** Tells people what the release is doing, through the notifier activity, and audits what was sent. */
final class Notifications {
  private final NotifierActivities notifier =
      Workflow.newActivityStub(NotifierActivities.class, NotifierActivities.OPTIONS);
  private final Release r;
  private final StateLog log;

  Notifications(Release r, StateLog log) {
    this.r = r;
    this.log = log;
  }

  /** A notification's extra facts in the order given ({@code Map.of} of several entries has none). */
  static Map<String, String> facts(String... keysAndValues) {
    Map<String, String> facts = new LinkedHashMap<>();
    for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
      facts.put(keysAndValues[i], keysAndValues[i + 1]);
    }
    return facts;
  }

  /** Notifies the policy's channel of {@code event}; {@code fallback} is the text when no template is configured. */
  void send(String event, String fallback, Map<String, String> extra) {
    sendWith(r.policy.notifications(), event, fallback, extra);
  }

  void sendWith(NotificationSpec spec, String event, String fallback, Map<String, String> extra) {
    Map<String, String> facts = new LinkedHashMap<>();
    facts.put("releaseId", r.releaseId);
    facts.put("model", r.policy.release().model());
    facts.put("candidate", r.policy.release().candidate());
    facts.put("baseline", r.policy.release().baseline());
    facts.put("state", r.progress.state.name());
    facts.put("stage", r.stage().name());
    facts.put("weight", Integer.toString(r.progress.weight));
    facts.put("policyHash", r.policyHash);
    facts.put("link", link());
    if (r.progress.pages != null) {
      facts.put("page", ReleaseInput.page(r.progress.pages, r.releaseId));
    }
    facts.putAll(extra);
    String key = r.progress.nextKey(r.releaseId);
    try {
      NotifierActivities.NotificationReceipt receipt = notifier.notify(new Notification(r.releaseId, spec, event,
          fallback, facts, key));
      log.audit("NOTIFY", null, null, event + (receipt.delivered() ? " sent to " + receipt.target()
          : " logged (no webhook configured)") + ": " + AuditText.excerpt(receipt.text()));
    } catch (ActivityFailure f) {
      log.audit("ACTION_FAILED", null, null, "notification '" + event + "' failed: " + Failures.rootMessage(f));
    }
  }

  /** The release in the Temporal UI (relative when the policy names no UI). */
  private String link() {
    PlaybookSpec pb = r.policy.playbook();
    String base = pb == null || pb.temporalUi() == null ? "" : pb.temporalUi().replaceAll("/+$", "");
    return base + "/namespaces/" + Workflow.getInfo().getNamespace() + "/workflows/" + r.releaseId;
  }
}
