package dev.ripcord.worker;

import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * The worker's own settings ({@code ripcord.*}); Temporal's are under {@code spring.temporal.*}.
 *
 * @param embeddedTemporal the server started when no Temporal address is configured
 * @param http timeouts for the router and notifier targets
 * @param demo the simulated model registered as scenario {@code demo} for policies with {@code source: scripted}
 */
@Validated
@ConfigurationProperties("ripcord")
public record RipcordProperties(
    @DefaultValue EmbeddedTemporal embeddedTemporal,
    @DefaultValue Http http,
    @DefaultValue DemoScenario demo) {

  /** @param port the port of the embedded server's frontend (default 7233, Temporal's own) */
  public record EmbeddedTemporal(@DefaultValue("7233") @Min(1) @Max(65535) int port) {}

  public record Http(@DefaultValue("5s") Duration connectTimeout, @DefaultValue("10s") Duration requestTimeout) {}

  public record DemoScenario(@DefaultValue("early") @NotBlank String degradedStage,
      @DefaultValue("200000") @Positive long outputsPerMinute) {}
}
