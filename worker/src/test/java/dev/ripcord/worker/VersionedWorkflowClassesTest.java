package dev.ripcord.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.workflow.WorkflowVersioningBehavior;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class VersionedWorkflowClassesTest {
  private static StandardEnvironment env(String buildId) {
    var env = new StandardEnvironment();
    if (buildId != null) {
      env.getPropertySources().addFirst(new MapPropertySource("test", Map.of("ripcord.deployment.build-id", buildId)));
    }
    new VersionedWorkflowClasses().postProcessEnvironment(env, null);
    return env;
  }

  @Test
  void aVersionedWorkerRegistersClassesThatDeclareTheirBehaviourAndAnUnversionedOneThePlainOnes() throws Exception {
    var versioned = env("2026.12.1");
    for (var e : VersionedWorkflowClasses.VERSIONED.entrySet()) {
      assertEquals(e.getValue(), versioned.getProperty(e.getKey()));
      var run = java.util.Arrays.stream(Class.forName(e.getValue()).getDeclaredMethods())
          .filter(m -> m.getName().equals("run")).findFirst().orElseThrow();
      assertTrue(run.isAnnotationPresent(WorkflowVersioningBehavior.class), e.getValue());
    }
    for (String none : new String[] {null, ""}) {
      var plain = env(none);
      VersionedWorkflowClasses.VERSIONED.keySet().forEach(k -> assertNull(plain.getProperty(k), k));
    }
  }
}
