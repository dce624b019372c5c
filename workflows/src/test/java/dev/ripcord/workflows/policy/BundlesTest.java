package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The bundle id, the part-by-part diff and the point of no return, without Temporal. */
class BundlesTest {
  private static BundlePart part(String version) {
    return new BundlePart(version, PolicyBuilder.digest(version), null, null, null);
  }

  private static Map<String, BundlePart> bundle(String weights, String prompt) {
    Map<String, BundlePart> b = new LinkedHashMap<>();
    b.put("weights", part(weights));
    b.put("systemPrompt", part(prompt));
    return b;
  }

  @Test
  void theIdDependsOnContentNotOnOrderOrOnIrreversibility() {
    Map<String, BundlePart> a = bundle("v2", "support@4");
    Map<String, BundlePart> reordered = new LinkedHashMap<>();
    reordered.put("systemPrompt", part("support@4"));
    reordered.put("weights", part("v2"));
    assertEquals(Bundles.id(a), Bundles.id(reordered));
    assertTrue(Bundles.id(a).matches("bundle:[0-9a-f]{64}"), Bundles.id(a));
    assertEquals(Bundles.id(a).substring(0, 19), Bundles.shortId(Bundles.id(a)));

    Map<String, BundlePart> marked = bundle("v2", "support@4");
    marked.put("weights", new BundlePart("v2", PolicyBuilder.digest("v2"), null, null,
        new BundlePart.Irreversible("half", "one way")));
    assertEquals(Bundles.id(a), Bundles.id(marked), "marking a part irreversible does not change what is served");

    Map<String, BundlePart> otherContent = bundle("v2", "support@4");
    otherContent.put("systemPrompt", new BundlePart("support@4", PolicyBuilder.digest("edited"), null, null, null));
    assertNotEquals(Bundles.id(a), Bundles.id(otherContent), "same version, other digest: another bundle");
    Map<String, BundlePart> settings = bundle("v2", "support@4");
    settings.put("decoding", new BundlePart("d1", PolicyBuilder.digest("d1"), null, Map.of("temperature", 0.7), null));
    Map<String, BundlePart> warmer = bundle("v2", "support@4");
    warmer.put("decoding", new BundlePart("d1", PolicyBuilder.digest("d1"), null, Map.of("temperature", 0.9), null));
    assertNotEquals(Bundles.id(settings), Bundles.id(warmer));
    assertNull(Bundles.id(null));
    assertNull(Bundles.id(Map.of()));
  }

  @Test
  void theDiffNamesEachChangedAddedAndRemovedPart() {
    Map<String, BundlePart> before = bundle("v2", "support@4");
    before.put("guardrails", part("g7"));
    Map<String, BundlePart> after = bundle("v2", "support@5");
    after.put("tools", part("t1"));
    List<String> d = Bundles.diff(before, after);
    assertEquals(3, d.size(), d.toString());
    assertTrue(d.get(0).matches("guardrails removed \\(was g7 \\([0-9a-f]{12}\\)\\)"), d.toString());
    assertTrue(d.get(1).matches("systemPrompt support@4 \\([0-9a-f]{12}\\) → support@5 \\([0-9a-f]{12}\\)"),
        d.toString());
    assertTrue(d.get(2).matches("tools added t1 \\([0-9a-f]{12}\\)"), d.toString());
    assertEquals(List.of(), Bundles.diff(before, before));
    Map<String, BundlePart> edited = bundle("v2", "support@4");
    edited.put("systemPrompt", new BundlePart("support@4", PolicyBuilder.digest("edited"), null, null, null));
    assertTrue(Bundles.diff(bundle("v2", "support@4"), edited).get(0).endsWith(", same version, other content"));
  }

  @Test
  void thePointOfNoReturnIsTheEarliestOfUnsafeAfterAndIrreversibleParts() {
    PolicyBuilder stages = PolicyBuilder.chat().stage("canary", 10, "10m").stage("half", 50, "10m")
        .stage("full", 100, "10m");
    assertNull(Bundles.pointOfNoReturn(stages.build()));
    ReleasePolicy index = PolicyBuilder.chat().stage("canary", 10, "10m").stage("half", 50, "10m")
        .stage("full", 100, "10m").bundle("support@4", new BundlePart.Irreversible("half", "index migrates"))
        .build();
    assertEquals(new Bundles.PointOfNoReturn("half", 1, "retrievalIndex is irreversible: index migrates"),
        Bundles.pointOfNoReturn(index));
    ReleasePolicy both = PolicyBuilder.chat().stage("canary", 10, "10m").stage("half", 50, "10m")
        .stage("full", 100, "10m").bundle("support@4", new BundlePart.Irreversible("full", "index migrates"))
        .unsafeAfter("half", "billing switches over").build();
    assertEquals(new Bundles.PointOfNoReturn("half", 1, "billing switches over"), Bundles.pointOfNoReturn(both));
    ReleasePolicy same = PolicyBuilder.chat().stage("canary", 10, "10m").stage("half", 50, "10m")
        .stage("full", 100, "10m").bundle("support@4", new BundlePart.Irreversible("half", "index migrates"))
        .unsafeAfter("half", "billing switches over").build();
    assertEquals("billing switches over; retrievalIndex is irreversible: index migrates",
        Bundles.pointOfNoReturn(same).reason());
  }
}
