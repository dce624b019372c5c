package dev.ripcord.worker;

import io.temporal.testserver.TestServer;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * When no Temporal address is configured, starts Temporal's Java test server on a real loopback port and points the
 * worker at it, so `ripcord` in another terminal can connect. Not for production: no persistence, no UI.
 */
public class EmbeddedTemporal implements EnvironmentPostProcessor {
  static final String TARGET = "spring.temporal.connection.target";
  private final Log log;

  public EmbeddedTemporal(DeferredLogFactory logs) {
    this.log = logs.getLog(EmbeddedTemporal.class);
  }

  @Override
  public void postProcessEnvironment(ConfigurableEnvironment env, SpringApplication application) {
    String target = env.getProperty(TARGET);
    if (target != null && !target.isBlank()) {
      return;
    }
    RipcordProperties.EmbeddedTemporal props = Binder.get(env)
        .bind("ripcord.embedded-temporal", RipcordProperties.EmbeddedTemporal.class)
        .orElseGet(() -> new RipcordProperties.EmbeddedTemporal(7233));
    TestServer.PortBoundTestServer server = TestServer.createPortBoundServer(props.port());
    Runtime.getRuntime().addShutdownHook(new Thread(server::close, "embedded-temporal-stop"));
    env.getPropertySources().addFirst(new MapPropertySource("ripcordEmbeddedTemporal",
        Map.of(TARGET, "127.0.0.1:" + props.port())));
    log.info("No Temporal address configured (" + TARGET + " / TEMPORAL_ADDRESS): started an embedded Temporal test"
        + " server on 127.0.0.1:" + props.port());
  }
}
