package dev.ripcord.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ripcord.workflows.decision.CriterionResult;
import dev.ripcord.workflows.decision.Measure;
import dev.ripcord.workflows.decision.Verdict;
import dev.ripcord.workflows.decision.WindowVerdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The per-release criteria gauges: one series per running release's leaf, gone once the release ends. */
class CriteriaGaugesTest {
  private static WindowVerdict window(double logLr) {
    Measure m = Measure.of("when", "hallucination", "log-LR", logLr, ">=", 6.9, 15.0, 5.0, 60_000L);
    CriterionResult r = new CriterionResult("vs-baseline", CriterionResult.Status.OK, "rollback", "critical",
        "…", List.of(m));
    return new WindowVerdict(1, "t", "canary", Verdict.CONTINUE, List.of(), List.of(), List.of(r), "…");
  }

  @Test
  void eachRunningReleasesLastWindowIsShownAndAnEndedOneGoes() {
    List<String> running = new ArrayList<>(List.of("release-a-v2", "release-b-v2"));
    Map<String, List<WindowVerdict>> judged = Map.of("release-a-v2", List.of(window(1.0), window(3.5)),
        "release-b-v2", List.of(), "release-c-v2", List.of(window(9.0)));
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (CriteriaGauges g = new CriteriaGauges(() -> running, judged::get, Duration.ofHours(1))) {
      g.bindTo(registry);
      g.refresh();
      var a = registry.find("ripcord_criterion_statistic").tag("release", "release-a-v2").gauge();
      assertEquals(3.5, a.value(), "the last judged window");
      assertEquals("log-LR", a.getId().getTag("statistic"));
      assertEquals(6.9, registry.find("ripcord_criterion_threshold").tag("release", "release-a-v2").gauge().value());
      assertEquals(1, registry.find("ripcord_criterion_statistic").gauges().size(), "b has judged nothing yet");
      running.set(0, "release-c-v2"); // a ended, c started
      g.refresh();
      assertEquals(List.of("release-c-v2"), registry.find("ripcord_criterion_statistic").gauges().stream()
          .map(x -> x.getId().getTag("release")).toList());
    }
  }

  @Test
  void aWindowClosedWithNothingPushedDoesNotBlankTheLastNumbers() {
    CriterionResult none = new CriterionResult("vs-baseline", CriterionResult.Status.OK, "rollback", "critical",
        "pushed: none this window", List.of());
    WindowVerdict empty = new WindowVerdict(3, "t", "canary", Verdict.CONTINUE, List.of(), List.of(), List.of(none),
        "…");
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (CriteriaGauges g = new CriteriaGauges(() -> List.of("release-a-v2"),
        id -> List.of(window(1.0), window(4.25), empty, empty), Duration.ofHours(1))) {
      g.bindTo(registry);
      g.refresh();
      assertEquals(4.25, registry.find("ripcord_criterion_statistic").tag("release", "release-a-v2").gauge().value(),
          "the last window that measured the criterion");
    }
  }

  @Test
  void aServerThatCannotListShowsNoneRatherThanStaleOnes() {
    boolean[] fails = {false};
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    try (CriteriaGauges g = new CriteriaGauges(() -> {
      if (fails[0]) {
        throw new IllegalStateException("visibility unavailable");
      }
      return List.of("release-a-v2");
    }, id -> List.of(window(2.0)), Duration.ofHours(1))) {
      g.bindTo(registry);
      g.refresh();
      assertEquals(1, registry.find("ripcord_criterion_statistic").gauges().size());
      fails[0] = true;
      g.refresh();
      assertEquals(0, registry.find("ripcord_criterion_statistic").gauges().size());
    }
  }
}
