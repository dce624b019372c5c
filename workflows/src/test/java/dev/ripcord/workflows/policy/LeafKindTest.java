package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A leaf's kind is derived in one place, from what the policy wrote; the reference shows each kind as written. */
class LeafKindTest {
  private static final SignalSpec RATE = new SignalSpec("any", "rate", "safety", null, 10_000, true, null);
  private static final SignalSpec PAIRED = new SignalSpec("judged_bad", "paired", "quality", null, null, null, null);
  private static final SignalSpec MEAN = new SignalSpec("utility_score", "mean", "quality", "lower-is-worse", null,
      true, null);
  private static final SignalSpec QUANTILE = new SignalSpec("latency_ms", "quantile", "operational", null, null, true,
      null);

  private static SignalSpec signalFor(LeafKind kind) {
    return switch (kind) {
      case PAIRED -> PAIRED;
      case MEAN_TEST -> MEAN;
      case QUANTILE -> QUANTILE;
      default -> RATE;
    };
  }

  @Test
  void everyExampleInTheReferenceIsOfTheKindItIllustrates() throws Exception {
    YAMLMapper yaml = new YAMLMapper();
    for (LeafKind kind : LeafKind.values()) {
      for (LeafKind.Form form : kind.forms()) {
        String written = form.yaml().substring(1, form.yaml().indexOf('`', 1));
        ConditionSpec c = yaml.readValue(written, ConditionSpec.class);
        assertEquals(kind, LeafKind.of(c, signalFor(kind)), form.name() + ": " + written);
      }
    }
  }

  @Test
  void aLeafThatMixesKindsIsJudgedAsTheFirstAndRefused() throws Exception {
    ConditionSpec both = new YAMLMapper().readValue("{signal: any, test: sprt, above: 2, confidence: 0.99}",
        ConditionSpec.class);
    assertEquals(LeafKind.SEQUENTIAL, LeafKind.of(both, RATE));
    Problems out = new Problems();
    LeafKind.of(both, RATE).check("$.when", both, RATE, out);
    assertEquals(List.of("$.when.confidence"), paths(out));
  }

  @Test
  void onlySequentialTestsSpendTheBudget() throws Exception {
    YAMLMapper yaml = new YAMLMapper();
    List<String> spending = new ArrayList<>();
    for (LeafKind kind : LeafKind.values()) {
      for (LeafKind.Form form : kind.forms()) {
        ConditionSpec c = yaml.readValue(form.yaml().substring(1, form.yaml().indexOf('`', 1)), ConditionSpec.class);
        if (kind.spendsBudget(c)) {
          spending.add(form.name());
        }
      }
    }
    assertEquals(List.of("sequential test against a limit", "sequential comparison with the baseline",
        "change detection", "always-valid comparison of means", "quantile from histograms",
        "paired comparison on the same prompts"), spending);
  }

  @Test
  void docsCriteriaShowsTheTableTheKindsWrite() throws Exception {
    String docs = Files.readString(Path.of("../docs/criteria.md"));
    assertTrue(docs.contains(LeafKind.referenceTable()), "docs/criteria.md's table of forms is stale: replace it with"
        + " what `java -jar starter/target/ripcord.jar policy forms` prints");
  }

  private static List<String> paths(Problems out) {
    return out.list().stream().map(PolicyProblem::path).toList();
  }
}
