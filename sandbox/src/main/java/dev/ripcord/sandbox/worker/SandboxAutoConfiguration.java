package dev.ripcord.sandbox.worker;

import dev.ripcord.activities.observe.ObservationSources;
import dev.ripcord.sandbox.drill.EmbeddedDrillActivities;
import dev.ripcord.sandbox.observe.ScenarioObservationActivities;
import dev.ripcord.sandbox.observe.SimulatedModel;
import dev.ripcord.workflows.drill.DrillActivities;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * What a Spring Boot worker gets from the sandbox on its class path (the default build, not for production):
 * scheduled drills run releases on an in-process time-skipping server, and policies with {@code source: scripted}
 * read the simulated model as scenario {@code demo}. Spring is an optional dependency here: the CLI, which also uses
 * the sandbox, never loads this class.
 */
@AutoConfiguration
@EnableConfigurationProperties(DemoProperties.class)
public class SandboxAutoConfiguration {

  /** The drill workflow's activity: the release runs on an in-process, time-skipping server. */
  @Bean
  DrillActivities drillActivities() {
    return new EmbeddedDrillActivities();
  }

  @Bean
  ObservationSources.Source scriptedSource(DemoProperties demo) {
    return new ObservationSources.Source("scripted", new ScenarioObservationActivities().register("demo",
        SimulatedModel.conversationalDemo(demo.outputsPerMinute(), demo.degradedStage())));
  }
}
