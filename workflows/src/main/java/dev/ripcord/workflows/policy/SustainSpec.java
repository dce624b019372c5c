package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * How long a breach must hold: in {@code windows} of the last {@code of} evaluation windows (default 1 of 1), or for
 * a duration ({@code for: 5m}: as many consecutive windows as fit in it at the policy's interval).
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record SustainSpec(Integer windows, Integer of, @JsonProperty("for") String duration) {

  public SustainSpec(Integer windows, Integer of) {
    this(windows, of, null);
  }
}
