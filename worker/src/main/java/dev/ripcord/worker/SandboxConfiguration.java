package dev.ripcord.worker;

import dev.ripcord.workflows.drill.DrillActivities;
import io.temporal.failure.ApplicationFailure;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A worker built without the sandbox ({@code -Pproduction}): drills are refused with a clear error. With the sandbox
 * on the class path (the default build) its own auto-configuration registers the drill runner and the scripted
 * source instead ({@code dev.ripcord.sandbox.worker.SandboxAutoConfiguration}).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingClass(SandboxConfiguration.SANDBOX)
public class SandboxConfiguration {
  static final String SANDBOX = "dev.ripcord.sandbox.worker.SandboxAutoConfiguration";

  /** Drills need the sandbox: refused at once (not retried), saying which worker build runs them. */
  @Bean
  DrillActivities drillActivities() {
    return request -> {
      throw ApplicationFailure.newNonRetryableFailure("drill '" + request.name() + "' cannot run here: this worker"
          + " was built without the sandbox (-Pproduction); run drills on a worker of the default build, or with"
          + " ripcord drill", DrillActivities.INVALID);
    };
  }
}
