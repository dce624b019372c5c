package dev.ripcord.worker;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Chooses the workflow classes the worker registers (application.yaml names them as {@code ripcord.workflow.*}):
 * under Worker Versioning ({@code ripcord.deployment.build-id} set) the classes of {@code dev.ripcord.workflows
 * .versioned}, which declare their behaviour (releases and drills pinned, the ledger and spent tokens auto-upgrade);
 * without, the plain ones, since Temporal refuses a behaviour from an unversioned worker ("versioning behavior cannot
 * be specified without deployment options being set with versioned mode"). Same logic and workflow types either way.
 */
public class VersionedWorkflowClasses implements EnvironmentPostProcessor {
  static final Map<String, String> VERSIONED = Map.of(
      "ripcord.workflow.release", "dev.ripcord.workflows.versioned.PinnedRelease",
      "ripcord.workflow.drill", "dev.ripcord.workflows.versioned.PinnedDrill",
      "ripcord.workflow.ledger", "dev.ripcord.workflows.versioned.UpgradingLedger",
      "ripcord.workflow.spent-tokens", "dev.ripcord.workflows.versioned.UpgradingSpentTokens");

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    String build = env.getProperty("ripcord.deployment.build-id");
    if (build != null && !build.isBlank()) {
      env.getPropertySources().addLast(new MapPropertySource("ripcordVersionedWorkflows",
          Map.<String, Object>copyOf(VERSIONED)));
    }
  }
}
