package dev.ripcord.activities.observe;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.activity.ObservationActivities.ObservationRequest;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.policy.ObservationSpec;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A source of a team's own ({@code observations.source: x-<name>}) is one more bean; an unknown one says what there
 * is.
 */
class ObservationSourcesTest {
  private static ObservationRequest request(String source) {
    ObservationSpec spec = new ObservationSpec(source, null);
    return new ObservationRequest("release-chat-v2", spec, List.of("hallucination"), "canary", 10, 3,
        "2026-12-02T00:00:00Z", "2026-12-02T00:01:00Z");
  }

  @Test
  void eachRequestGoesToTheSourceThePolicyNames() {
    Observation mine = new Observation("2026-12-02T00:01:00Z", "2026-12-02T00:00:00Z", "canary", Map.of(),
        "x-bigquery", null);
    ObservationSources all = ObservationSources.of(List.of(
        new ObservationSources.Source("x-bigquery", r -> mine),
        new ObservationSources.Source("prometheus", r -> { throw new AssertionError("not asked"); })));

    assertEquals(mine, all.read(request("x-bigquery")));
    ApplicationFailure unknown = assertThrows(ApplicationFailure.class, () -> all.read(request("x-snowflake")));
    assertTrue(unknown.isNonRetryable());
    assertTrue(unknown.getOriginalMessage().contains("no observations from 'x-snowflake' (it reads from [prometheus,"
        + " x-bigquery])"), unknown.getOriginalMessage());
  }
}
