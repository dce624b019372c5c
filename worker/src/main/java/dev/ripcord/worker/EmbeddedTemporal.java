package dev.ripcord.worker;

import java.io.Closeable;
import java.util.Map;
import org.apache.commons.logging.Log;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.env.EnvironmentPostProcessor;
import org.springframework.boot.logging.DeferredLogFactory;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.util.ClassUtils;

/**
 * When no Temporal address is configured, starts Temporal's Java test server on a real loopback port and points the
 * worker at it, so `ripcord` in another terminal can connect: the quick start. Not for production (no persistence,
 * no UI, one process), and said so at start-up. A production build has no test server on its class path: it then
 * stops with what to set instead.
 */
public class EmbeddedTemporal implements EnvironmentPostProcessor {
  static final String TARGET = "spring.temporal.connection.target";
  private static final String TEST_SERVER = "io.temporal.testserver.TestServer";
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
    if (!ClassUtils.isPresent(TEST_SERVER, EmbeddedTemporal.class.getClassLoader())) {
      throw new IllegalStateException("No Temporal address configured, and this worker build has no embedded server:"
          + " set TEMPORAL_ADDRESS=host:port (and TEMPORAL_NAMESPACE), see docs/operating.md");
    }
    RipcordProperties.EmbeddedTemporal props = Binder.get(env)
        .bind("ripcord.embedded-temporal", RipcordProperties.EmbeddedTemporal.class)
        .orElseGet(() -> new RipcordProperties.EmbeddedTemporal(7233));
    Server.start(props.port());
    env.getPropertySources().addFirst(new MapPropertySource("ripcordEmbeddedTemporal",
        Map.of(TARGET, "127.0.0.1:" + props.port())));
    log.warn("No Temporal address configured (" + TARGET + " / TEMPORAL_ADDRESS): started an embedded Temporal test"
        + " server on 127.0.0.1:" + props.port() + ". NOT FOR PRODUCTION: nothing is persisted, there is no UI;"
        + " point the worker at a real Temporal with TEMPORAL_ADDRESS");
  }

  /**
   * Starts the test server by name: the worker compiles without it, so a production build (which leaves it out)
   * is the same code.
   */
  private static final class Server {
    static void start(int port) {
      Closeable server;
      try {
        server = (Closeable) Class.forName(TEST_SERVER).getMethod("createPortBoundServer", int.class)
            .invoke(null, port);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot start the embedded Temporal test server on port " + port + ": "
            + (e.getCause() == null ? e : e.getCause()), e);
      }
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        try {
          server.close();
        } catch (java.io.IOException e) {
          // the process is ending; nothing to tell
        }
      }, "embedded-temporal-stop"));
    }
  }
}
