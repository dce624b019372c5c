package dev.ripcord.starter.cli;

import static dev.ripcord.starter.cli.CliRun.ripcord;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.activities.evidence.FileEvidenceActivities;
import dev.ripcord.workflows.activity.EvidenceActivities.EvidenceRef;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.testing.PolicyBuilder;
import dev.ripcord.workflows.testing.ReleaseHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Evidence bundles written by the real file store from a release's real histories, then checked, reviewed and
 * backtested from the bundle alone, as after Temporal has forgotten the release.
 */
class EvidenceCommandTest {
  @TempDir Path store;
  @TempDir Path tmp;

  @Test
  void aRolledBackReleasesEvidenceIsVerifiedReviewedAndBacktestedFromTheBundle() throws Exception {
    List<EvidenceRef> refs;
    ReleasePolicy policy = PolicyBuilder.chat().bundle("support@4", null).evidence(store.toUri().toString()).build();
    try (ReleaseHarness h = new ReleaseHarness()) {
      h.evidence.delegate = new FileEvidenceActivities(h.client);
      h.observations.badFromStage("canary");
      ReleaseReport r = h.result(h.start(policy));
      assertEquals(ReleaseState.ROLLED_BACK, r.state());
      refs = EvidenceCommand.recorded(h.runs(r.releaseId()));
      assertEquals(2, refs.size(), "the trigger's and the end's, recorded in the history: " + refs);
      assertTrue(r.audit().stream().anyMatch(e -> e.kind().equals("EVIDENCE") && e.message().contains(refs.get(1)
          .uri())), r.audit().toString());
    }
    // The test server is gone: all that is left is the bundle.
    String uri = refs.get(1).uri();
    Path bundle = Path.of(java.net.URI.create(uri));
    for (String f : List.of("manifest.json", "policy.json", "runs/run-1.json", "observations.jsonl",
        "decisions.jsonl", "report.json", "audit.json", "index.html")) {
      assertTrue(Files.isRegularFile(bundle.resolve(f)), f);
    }
    assertTrue(Files.readString(bundle.resolve("decisions.jsonl")).contains("hallucination-limit"),
        "every window's decision with its explanation");
    assertTrue(Files.readString(bundle.resolve("audit.json")).contains("ROLLED_BACK"));
    CliRun ok = ripcord("evidence", "verify", uri);
    assertEquals(0, ok.code(), ok.out() + ok.err());
    assertTrue(ok.out().startsWith("ok " + uri + " " + refs.get(1).digest() + " (8 files)"), ok.out());
    assertTrue(Files.readString(bundle.resolve("index.html")).contains("data-criterion=\"hallucination-limit\""),
        "the release page, whole in the bundle");

    CliRun review = ripcord("review", uri);
    assertEquals(0, review.code(), review.out() + review.err());
    assertTrue(review.out().contains("release-chat-v2") && review.out().contains("ROLLED_BACK"), review.out());
    assertTrue(review.out().contains("| release bundle | bundle " + policy.release().bundleId() + ": weights v2 ("),
        "the review names the bundle that was served: " + review.out());

    Path revised = tmp.resolve("revised.json");
    Files.writeString(revised, PolicyLoader.toJson(PolicyBuilder.chat().hallucinationLimit(20, "rollback", 1, 1)
        .build()));
    CliRun backtest = ripcord("backtest", "--policy", revised.toString(), "--evidence", uri);
    assertEquals(0, backtest.code(), backtest.err());
    assertTrue(backtest.out().contains("rollback"), "the revised limit still acts on the recorded windows: "
        + backtest.out());

    Files.writeString(bundle.resolve("decisions.jsonl"), "{}\n", java.nio.file.StandardOpenOption.APPEND);
    CliRun tampered = ripcord("evidence", "verify", uri, "--output", "json");
    assertEquals(1, tampered.code(), tampered.out());
    assertTrue(tampered.out().contains("decisions.jsonl does not match its digest in the manifest"), tampered.out());
    CliRun nowhere = ripcord("evidence", "verify", store.resolve("sha256-nothing").toUri().toString());
    assertEquals(1, nowhere.code());
    assertTrue(nowhere.err().contains("no evidence bundle at"), nowhere.err());
  }

  @Test
  void aVerifiedReleasesBundleHoldsNoTokenAndItsRunsStillReplay() throws Exception {
    List<EvidenceRef> refs;
    ReleasePolicy policy = PolicyBuilder.chat().identity(dev.ripcord.workflows.testing.FakeIssuer.verified())
        .evidence(store.toUri().toString()).build();
    try (ReleaseHarness h = new ReleaseHarness()) {
      h.evidence.delegate = new FileEvidenceActivities(h.client);
      h.observations.badFromStage("canary");
      long now = h.env.currentTimeMillis();
      ReleaseReport r = h.result(h.start(policy, null, h.issuer.token("bob@example.com", now,
          c -> c.expirationTime(new java.util.Date(now + 3_600_000)))));
      assertEquals(ReleaseState.ROLLED_BACK, r.state());
      refs = EvidenceCommand.recorded(h.runs(r.releaseId()));
    }
    Path bundle = Path.of(java.net.URI.create(refs.get(refs.size() - 1).uri()));
    String run = Files.readString(bundle.resolve("runs/run-1.json"));
    var payloads = new java.util.ArrayList<String>();
    data(RipcordCli.JSON.readTree(run), payloads);
    assertTrue(payloads.stream().noneMatch(t -> t.contains("eyJ")), "no token in the bundle's run");
    assertTrue(payloads.stream().anyMatch(t -> t.contains("redacted:")), "the start token marked");
    assertEquals("redacted", dev.ripcord.activities.evidence.EvidenceBundles.manifest(bundle).path("about").path("tokens").asText());
    CliRun replay = ripcord("replay", "--quiet", bundle.resolve("runs/run-1.json").toString());
    assertEquals(0, replay.code(), replay.out() + replay.err());
  }

  /** Every payload's data in an exported history, base64-decoded. */
  private static void data(com.fasterxml.jackson.databind.JsonNode n, List<String> out) {
    if (n.isObject() && n.path("data").isTextual()) {
      out.add(new String(java.util.Base64.getDecoder().decode(n.get("data").asText()),
          java.nio.charset.StandardCharsets.UTF_8));
    }
    n.forEach(c -> data(c, out));
  }
}
