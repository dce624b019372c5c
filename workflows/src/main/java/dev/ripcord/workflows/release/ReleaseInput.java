package dev.ripcord.workflows.release;

import dev.ripcord.workflows.policy.ReleasePolicy;

/**
 * What a release run starts from: the validated policy, its content hash, and (after continue-as-new) what the
 * previous run carried over.
 */
public record ReleaseInput(ReleasePolicy policy, String policyHash, Carried carried) {

  public static ReleaseInput start(ReleasePolicy policy, String policyHash) {
    return new ReleaseInput(policy, policyHash, null);
  }
}
