package dev.ripcord.workflows.approval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ripcord.workflows.ledger.LabelRequest;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One check of who sends a person's input, the same for decisions, re-release requests and ledger labels. */
class SenderTest {
  @Test
  void aSenderNeedsABoundedByUnlessATokenNamesThem() {
    assertEquals(List.of(), new Sender("alice@example.com", "safety-lead", "ok", null).problems("who decides", true));
    assertEquals(List.of(), new Sender(null, null, null, "eyJ.x.y").problems("who decides", true));
    assertEquals(List.of("'by' is required: who decides, e.g. \"alice@example.com\" (or, under verified identity,"
        + " 'token')"), new Sender(" ", null, null, null).problems("who decides", true));
    assertEquals(List.of("'by' is longer than 200 characters", "'role' must be a role name from the policy, or left"
        + " out", "'comment' is longer than 2000 characters"),
        new Sender("a".repeat(201), "", "c".repeat(2001), null).problems("who decides", true));
    assertEquals(List.of("'token' must be the signed token from your identity provider (at most 16384 characters)"),
        new Sender("alice@example.com", null, null, "t".repeat(16 * 1024 + 1)).problems("who decides", true));
  }

  @Test
  void decisionsReReleasesAndLabelsAllSayTheSameOfTheirSender() {
    String tooLong = "b".repeat(201);
    HumanDecision d = new HumanDecision("pause", tooLong, null, null, null);
    RereleaseRequest q = new RereleaseRequest(tooLong, null, "v3", null, null, null);
    LabelRequest l = new LabelRequest("release-chat-v2", "false-rollback", tooLong, null, null, null);
    String said = "'by' is longer than 200 characters";
    assertTrue(HumanDecisions.check(d).contains(said), HumanDecisions.check(d).toString());
    assertTrue(RereleaseRequest.check(q).contains(said), RereleaseRequest.check(q).toString());
    assertTrue(LabelRequest.check(l).contains(said), LabelRequest.check(l).toString());
    assertTrue(LabelRequest.parse(new ObjectMapper().createObjectNode().put("releaseId", "release-chat-v2")
        .put("outcome", "false-rollback")).problem().contains("'by' is required: who labels it, as listed in the"
        + " release's governance.roles, e.g. \"alice@example.com\""), "a label takes no token, and says so");
  }
}
