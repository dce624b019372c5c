package dev.ripcord.workflows.release;

import static dev.ripcord.workflows.testing.ReleaseHarness.json;
import static dev.ripcord.workflows.testing.ReleaseHarness.messages;
import static dev.ripcord.workflows.testing.ReleaseHarness.person;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import dev.ripcord.workflows.playbook.PlaybookStep;
import dev.ripcord.workflows.testing.CountingReporter;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.RawValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Inputs the release refuses, each audited and counted: an {@code acknowledge} with a field it does not take, a
 * negative latency, and every kind of refusal in {@code ripcord_signals_refused{signal, reason}}.
 */
class ReleaseRefusalsTest {
  private final CountingReporter reporter = new CountingReporter();
  private final Scope metrics = new RootScopeBuilder().reporter(reporter)
      .reportEvery(com.uber.m3.util.Duration.ofMillis(10));
  private final ReleaseHarness h = new ReleaseHarness(metrics);

  @AfterEach
  void close() {
    h.close();
  }

  @Test
  void anAcknowledgementWithAnUnknownFieldIsRefusedAndTheStepStaysOpen() {
    h.observations.badFromStage("canary");
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build().withPlaybook(ReleasePlaybookTest.PLAYBOOK));
    h.env.sleep(Duration.ofMinutes(6));
    assertEquals(ReleaseState.ROLLED_BACK, wf.status().state());

    wf.acknowledge(json(Map.of("by", "carol@example.com", "step", "ack", "sudo", true)));
    h.env.sleep(Duration.ofSeconds(5));
    assertEquals("open", step(wf, "ack").status(), "not closed by a payload with a field it does not take");
    wf.acknowledge(json(Map.of("by", "carol@example.com", "step", "ack")));
    h.env.sleep(Duration.ofSeconds(5));

    assertEquals("done", step(wf, "ack").status());
    List<String> refused = messages(wf.audit(), "REFUSED");
    assertTrue(refused.stream().anyMatch(m -> m.startsWith("malformed 'acknowledge' signal refused: unknown field"
        + " 'sudo'")), refused.toString());
  }

  @Test
  void aNegativeLatencyIsRefusedAsMalformedNotEvaluated() {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().pushed().latencyLimit(2500, "rollback").build());
    h.env.sleep(Duration.ofSeconds(10));
    wf.observe(json(Map.of("signals", Map.of("latency_p99_ms", Map.of("candidate", Map.of("value", -5))))));
    h.env.sleep(Duration.ofSeconds(10));

    List<String> refused = messages(wf.audit(), "REFUSED");
    assertTrue(refused.stream().anyMatch(m -> m.contains("signals.latency_p99_ms.candidate.value is -5.0, but"
        + " latency_p99_ms is a quantile, which cannot be negative")), refused.toString());
    assertTrue(wf.decisions().isEmpty(), "nothing evaluated: " + wf.decisions());
    wf.rollback(person("carol@example.com", null));
    assertEquals(ReleaseState.ROLLED_BACK, h.result(wf).state());
  }

  @Test
  void everyRefusalIsCountedBySignalAndReason() throws Exception {
    ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
    h.env.sleep(Duration.ofMinutes(2));
    WorkflowStub stub = WorkflowStub.fromTyped(wf);
    Map<String, RawValue> sent = new LinkedHashMap<>();
    sent.put("approve|unreadable", raw("{\"by\": \"carol@example.com\", \"by\": \"mallory@evil.example\"}"));
    sent.put("pause|malformed", json(Map.of("by", 42)));
    sent.put("rollback|malformed", json(Map.of("by", "carol@example.com", "sudo", true)));
    sent.put("resume|unauthorised", person("mallory@evil.example", null));
    sent.put("approve|not-now", person("alice@example.com", null));
    sent.put("acknowledge|malformed", json(Map.of("step", "ack")));
    sent.put("acknowledge|not-now", json(Map.of("by", "carol@example.com", "step", "ack")));
    sent.put("observe|not-applicable", json(Map.of("signals", Map.of())));
    sent.put("alert|not-applicable", json(Map.of("alertname", "Nope", "status", "firing")));
    sent.put("unknown|unknown-signal", person("carol@example.com", null));
    for (var e : sent.entrySet()) {
      String signal = e.getKey().split("\\|")[0];
      stub.signal(signal.equals("unknown") ? "paws" : signal, e.getValue());
    }
    h.env.sleep(Duration.ofMinutes(1));
    assertEquals(sent.size(), messages(wf.audit(), "REFUSED").size(), wf.audit().toString());
    wf.rollback(person("carol@example.com", null));
    h.result(wf);
    metrics.close(); // reports what is left

    for (String key : sent.keySet()) {
      String[] k = key.split("\\|");
      assertEquals(1, reporter.sum("ripcord_signals_refused", Map.of("signal", k[0], "reason", k[1])),
          key + " in " + reporter.counts().stream().filter(c -> c.name().equals("ripcord_signals_refused")).toList());
    }
    assertEquals(sent.size(), reporter.sum("ripcord_signals_refused", Map.of()), "each refusal once");
  }

  private static PlaybookStep step(ReleaseWorkflow wf, String name) {
    return wf.status().playbook().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
  }

  private static RawValue raw(String json) {
    return new RawValue(Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8("json/plain"))
        .setData(ByteString.copyFrom(json, StandardCharsets.UTF_8)).build());
  }
}
