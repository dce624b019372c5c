package dev.ripcord.workflows.testing;

import dev.ripcord.workflows.activity.ObservationActivities;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.decision.Observation.Arm;
import dev.ripcord.workflows.decision.Observation.SignalReading;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Observations as a function of the request: by default a healthy candidate (5 hallucinations per 10k on 10,000
 * trials, latency 400 ms); {@link #badFromStage} makes the candidate hallucinate 30 per 10k from that stage on.
 */
public final class ScriptedObservations implements ObservationActivities {
  private volatile Function<ObservationRequest, Observation> script = r -> window(r, 5, 400);
  private int reads;

  public static Observation window(ObservationRequest r, long hallucinationsPer10k, double latencyMs) {
    Map<String, SignalReading> s = new LinkedHashMap<>();
    s.put("hallucination", new SignalReading(Arm.counts(hallucinationsPer10k, 10_000), Arm.counts(5, 10_000), null));
    s.put("latency_p99_ms", new SignalReading(Arm.value(latencyMs), null, null));
    return new Observation(r.to(), r.from(), r.stage(), s, "test", null);
  }

  public ScriptedObservations badFromStage(String stage) {
    script = r -> window(r, r.stage().equals(stage) ? 30 : 5, 400);
    return this;
  }

  public ScriptedObservations script(Function<ObservationRequest, Observation> f) {
    script = f;
    return this;
  }

  @Override
  public synchronized Observation read(ObservationRequest request) {
    reads++;
    return script.apply(request);
  }

  public synchronized int reads() {
    return reads;
  }
}
