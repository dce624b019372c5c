package dev.ripcord.workflows.release.state;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.TreeMap;

/**
 * What verified identity keeps across runs: the trusted issuer's public keys as last read (a JWKS document), when
 * they were last read or tried, and the tokens that decided already (id to expiry, epoch millis; a token counts
 * once, expired ones are dropped). {@code Identity} alone changes it. Carried inside {@code Progress} under the names
 * older runs wrote.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
@JsonInclude(JsonInclude.Include.NON_NULL)
public final class TrustedKeys {
  private String identityKeys;
  private Long identityKeysReadAt;
  private TreeMap<String, Long> tokensUsed;

  public String keys() {
    return identityKeys;
  }

  public Long readAt() {
    return identityKeysReadAt;
  }

  /** The tokens spent so far, or null before the first. */
  public TreeMap<String, Long> tokensUsed() {
    return tokensUsed;
  }

  public void tried(long now) {
    identityKeysReadAt = now;
  }

  public void read(String jwks) {
    identityKeys = jwks;
  }

  public void spent(TreeMap<String, Long> used) {
    tokensUsed = used;
  }
}
