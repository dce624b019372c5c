package dev.ripcord.workflows.release;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.protobuf.ByteString;
import dev.ripcord.workflows.testing.FirstTaskGate;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.RawValue;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Random signals from someone holding no role (random names, random payloads, random encodings) are each refused
 * and audited; no workflow task fails; and afterwards the on-call engineer's rollback still rolls the release back.
 */
class ReleaseSignalProperties {
  private static final List<String> NAMES = List.of("approve", "reject", "pause", "resume", "rollback",
      "investigate", "observe", "alert", "acknowledge", "rerelease", "Approve", "signal", "");

  record Sent(String name, RawValue payload) {}

  @Property(tries = 6)
  void everyRandomSignalIsRefusedAndARollbackStillWorks(@ForAll("signals") List<Sent> signals) {
    try (ReleaseHarness h = new ReleaseHarness()) {
      ReleaseWorkflow wf = h.start(PolicyBuilder.chat().build());
      h.env.sleep(Duration.ofMinutes(2));
      WorkflowStub stub = WorkflowStub.fromTyped(wf);
      for (Sent s : signals) {
        stub.signal(s.name().isEmpty() ? " " : s.name(), s.payload());
      }
      h.env.sleep(Duration.ofMinutes(1));
      long refused = wf.audit().stream().filter(e -> e.kind().equals("REFUSED")).count();
      assertEquals(signals.size(), refused, "each signal refused once: " + wf.audit());
      assertEquals(ReleaseState.ROLLING_OUT, wf.status().state());

      wf.rollback(ReleaseHarness.json(Map.of("by", "carol@example.com")));
      ReleaseReport r = h.result(wf);
      assertEquals(ReleaseState.ROLLED_BACK, r.state());
      assertEquals(List.of(10, 0), h.router.effectiveWeights());
      assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(h.history(r.releaseId()).getEvents()));
    }
  }

  /**
   * The same, with random signals in front of the first workflow task of every run: before the release's first task
   * (every worker down at its start), at a random minute of its first run, and right after it continues as new.
   */
  @Property(tries = 4)
  void randomSignalsBeforeEveryRunsFirstTaskAreRefusedAndARollbackStillWorks(@ForAll("signals") List<Sent> atStart,
      @ForAll("signals") List<Sent> meanwhile, @ForAll("signals") List<Sent> afterRollover,
      @ForAll @net.jqwik.api.constraints.IntRange(min = 1, max = 5) int minute) {
    FirstTaskGate gate = new FirstTaskGate(true); // closed before the worker polls at all: every worker is down
    try (ReleaseHarness h = new ReleaseHarness(null, gate)) {
      ReleaseWorkflow wf = h.start(PolicyBuilder.chat().windowsPerRun(10).stage("canary", 10, "2h")
          .stage("full", 100, "5m").build());
      WorkflowStub stub = h.client.newUntypedWorkflowStub("release-chat-v2");
      send(stub, atStart);
      gate.open();
      h.env.sleep(Duration.ofMinutes(minute));
      send(stub, meanwhile);
      h.env.sleep(Duration.ofSeconds(20));
      String firstRun = h.history("release-chat-v2").getEvents().get(0).getWorkflowExecutionStartedEventAttributes()
          .getOriginalExecutionRunId();
      String next = ReleaseInputFloodTest.awaitContinuedRun(h, gate, "release-chat-v2", firstRun);
      send(stub, afterRollover);
      gate.open();
      h.env.sleep(Duration.ofMinutes(1));

      assertEquals(names(atStart), ReleaseHarness.signalsBeforeFirstTask(h.client.fetchHistory("release-chat-v2",
          firstRun)), "in front of the release's first task");
      assertEquals(names(afterRollover), ReleaseHarness.signalsBeforeFirstTask(h.client.fetchHistory(
          "release-chat-v2", next)), "in front of the continued run's first task");
      long refused = wf.audit().stream().filter(e -> e.kind().equals("REFUSED")).count();
      assertEquals(atStart.size() + meanwhile.size() + afterRollover.size(), refused, "each refused once");
      assertEquals(ReleaseState.ROLLING_OUT, wf.status().state());

      wf.rollback(ReleaseHarness.json(Map.of("by", "carol@example.com")));
      ReleaseReport r = h.result(wf);
      assertEquals(ReleaseState.ROLLED_BACK, r.state());
      assertEquals(List.of(10, 0), h.router.effectiveWeights());
      for (var run : h.runs(r.releaseId())) {
        assertEquals(List.of(), ReleaseHarness.failedWorkflowTasks(run.getEvents()));
      }
    }
  }

  private static void send(WorkflowStub stub, List<Sent> signals) {
    for (Sent s : signals) {
      stub.signal(name(s), s.payload());
    }
  }

  private static String name(Sent s) {
    return s.name().isEmpty() ? " " : s.name();
  }

  private static List<String> names(List<Sent> signals) {
    return signals.stream().map(ReleaseSignalProperties::name).toList();
  }

  @Provide
  Arbitrary<List<Sent>> signals() {
    Arbitrary<String> who = Arbitraries.strings().ofMinLength(1).ofMaxLength(300);
    Arbitrary<String> json = Combinators.combine(who, Arbitraries.of("continue", "rollback", "hold", "firing", "x"),
        Arbitraries.integers().between(0, 9)).as((w, o, k) -> switch (k) {
          case 0 -> "{\"by\": " + quote(w) + "}";
          case 1 -> "{\"by\": " + quote(w) + ", \"outcome\": \"" + o + "\", \"step\": " + quote(w) + "}";
          case 2 -> "{\"alertname\": " + quote(w) + ", \"status\": \"" + o + "\"}";
          case 3 -> "{\"signals\": {" + quote(w) + ": {\"candidate\": {\"events\": 1, \"trials\": 2}}}}";
          case 4 -> "{\"by\": " + quote(w) + ", \"by\": \"carol@example.com\"}";
          case 5 -> "[" + quote(w) + "]";
          case 6 -> "{\"candidate\": " + quote(w) + ", \"by\": " + quote(w) + "}";
          case 7 -> "{" + quote(w) + ": " + quote(w) + "}";
          case 8 -> w;
          default -> "{\"by\": \"carol@example.com\", \"role\": " + quote(w) + ", \"comment\": 3}";
        });
    Arbitrary<String> encoding = Arbitraries.of("json/plain", "json/plain", "json/plain", "binary/plain",
        "json/protobuf");
    Arbitrary<Sent> one = Combinators.combine(Arbitraries.of(NAMES), encoding, json).as((n, e, j) ->
        new Sent(n, new RawValue(Payload.newBuilder().putMetadata("encoding", ByteString.copyFromUtf8(e))
            .setData(ByteString.copyFrom(j, StandardCharsets.UTF_8)).build())));
    return one.list().ofMinSize(5).ofMaxSize(40);
  }

  private static String quote(String s) {
    return ReleaseHarness.JSON.getNodeFactory().textNode(s).toString();
  }
}
