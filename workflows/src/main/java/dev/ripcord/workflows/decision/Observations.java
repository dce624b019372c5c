package dev.ripcord.workflows.decision;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.SignalSpec;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/** Validates a pushed observation (the {@code observe} signal, {@code ripcord observe}, backtest lines). Never throws. */
public final class Observations {
  private static final ObjectMapper JSON = JsonMapper.builder()
      .disable(com.fasterxml.jackson.databind.DeserializationFeature.ACCEPT_FLOAT_AS_INT).build();

  private Observations() {}

  public record Parsed(Observation observation, String problem) {
    public boolean ok() {
      return problem == null;
    }
  }

  public static Parsed parse(JsonNode node, ReleasePolicy policy) {
    if (node == null || !node.isObject()) {
      return new Parsed(null, "an observation must be a JSON object like {\"signals\": {\"error_rate\": "
          + "{\"candidate\": {\"events\": 3, \"trials\": 1000}}}}");
    }
    Observation o;
    try {
      o = JSON.treeToValue(node, Observation.class);
    } catch (Exception e) {
      return new Parsed(null, "cannot read observation: " + e.getMessage().lines().findFirst().orElse(""));
    }
    List<String> problems = new ArrayList<>();
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String f = it.next();
      if (!List.of("t", "from", "stage", "signals", "source", "query").contains(f)) {
        problems.add("unknown field '" + f + "'");
      }
    }
    if (o.signals() == null || o.signals().isEmpty()) {
      problems.add("'signals' is required and must name at least one signal");
    } else {
      for (Map.Entry<String, Observation.SignalReading> e : o.signals().entrySet()) {
        SignalSpec s = policy.signal(e.getKey());
        if (s == null) {
          problems.add("unknown signal '" + e.getKey() + "' (the policy declares "
              + policy.signals().stream().map(SignalSpec::name).toList() + ")");
          continue;
        }
        checkReading("signals." + e.getKey(), s, e.getValue(), problems);
      }
    }
    return problems.isEmpty() ? new Parsed(o, null) : new Parsed(null, String.join("; ", problems));
  }

  private static void checkReading(String path, SignalSpec s, Observation.SignalReading r, List<String> problems) {
    if (r == null || r.candidate() == null) {
      problems.add(path + ".candidate is required");
      return;
    }
    checkArm(path + ".candidate", s, r.candidate(), problems);
    if (r.baseline() != null) {
      checkArm(path + ".baseline", s, r.baseline(), problems);
    }
    if (r.slices() != null) {
      r.slices().forEach((k, v) -> checkReading(path + ".slices." + k, s, v, problems));
    }
  }

  private static void checkArm(String path, SignalSpec s, Observation.Arm a, List<String> problems) {
    if (s.isRate()) {
      if (a.events() == null || a.trials() == null) {
        problems.add(path + " needs whole-number 'events' and 'trials' (" + s.name() + " is a rate)");
      } else if (a.events() < 0 || a.trials() < 0 || a.events() > a.trials()) {
        problems.add(path + " must have 0 <= events <= trials, got " + a.events() + "/" + a.trials());
      }
    } else if (a.value() == null || a.value().isNaN() || a.value().isInfinite()) {
      problems.add(path + " needs a numeric 'value' (" + s.name() + " is a " + s.kind() + ")");
    }
  }
}
