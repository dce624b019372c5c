package dev.ripcord.sandbox.worker;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * {@code ripcord.demo.*}: the simulated model a worker registers as scenario {@code demo} for policies with
 * {@code source: scripted}.
 *
 * @param degradedStage the stage from which the candidate misbehaves
 * @param outputsPerMinute how many outputs the simulated model serves a minute
 */
@ConfigurationProperties("ripcord.demo")
public record DemoProperties(@DefaultValue("early") String degradedStage,
    @DefaultValue("200000") long outputsPerMinute) {

  public DemoProperties {
    if (degradedStage == null || degradedStage.isBlank()) {
      throw new IllegalArgumentException("ripcord.demo.degraded-stage: name a stage of the demo policy, e.g. early");
    }
    if (outputsPerMinute <= 0) {
      throw new IllegalArgumentException("ripcord.demo.outputs-per-minute: must be positive, e.g. 200000");
    }
  }
}
