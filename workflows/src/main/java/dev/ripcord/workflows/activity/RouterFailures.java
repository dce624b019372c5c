package dev.ripcord.workflows.activity;

/** Failure types the router activity raises, so the workflow and retry policy can tell them apart. */
public final class RouterFailures {
  /** The router refused the command (a 4xx other than 429): retrying the same call cannot help. */
  public static final String REJECTED = "RouterRejected";
  /** The router could not be reached or answered 429/5xx: retried with backoff. */
  public static final String UNAVAILABLE = "RouterUnavailable";

  private RouterFailures() {}
}
