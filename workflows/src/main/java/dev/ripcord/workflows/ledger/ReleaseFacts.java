package dev.ripcord.workflows.ledger;

import com.fasterxml.jackson.annotation.JsonInclude;
import dev.ripcord.workflows.policy.IdentitySpec;
import java.util.List;
import java.util.Map;

/**
 * What a release's histories say about it, read by an activity when it is labelled: enough to place the label in the
 * ledger and to check who may give it.
 *
 * @param policy the policy's name in the ledger (its release's model)
 * @param fired the criteria that triggered (empty when none did)
 * @param exposedAt when users first saw the candidate (its first weight above 0), null if they never did
 * @param badOutputs the candidate's events of the fired criteria's signals from exposure to mitigation (rates only),
 *     null when not known
 * @param labellers who may label it: the principals of the roles holding its {@code rollback} right
 * @param verifiesIdentity whether its policy verifies identity (typed names are not enough there)
 * @param identity how its policy verifies identity (issuer, audience, keys), for the labellers' tokens; null under
 *     declared identity, and in facts read before labels could be signed
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ReleaseFacts(String releaseId, String policy, String policyHash, String state, List<String> fired,
    String startedAt, String exposedAt, String triggeredAt, String mitigatedAt, Long badOutputs,
    Map<String, List<String>> labellers, boolean verifiesIdentity, IdentitySpec identity) {

  public ReleaseFacts(String releaseId, String policy, String policyHash, String state, List<String> fired,
      String startedAt, String exposedAt, String triggeredAt, String mitigatedAt, Long badOutputs,
      Map<String, List<String>> labellers, boolean verifiesIdentity) {
    this(releaseId, policy, policyHash, state, fired, startedAt, exposedAt, triggeredAt, mitigatedAt, badOutputs,
        labellers, verifiesIdentity, null);
  }
}
