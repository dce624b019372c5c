package dev.ripcord.worker;

import java.io.IOException;
import java.net.ServerSocket;

/**
 * A free port for the worker's embedded Temporal, set as {@code ripcord.embedded-temporal.port} before a Spring test
 * context starts (each context embeds its own server) and cleared after the class.
 */
final class EmbeddedTemporalPort {
  private static final String PROPERTY = "ripcord.embedded-temporal.port";

  private EmbeddedTemporalPort() {}

  static int claim() throws IOException {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    System.setProperty(PROPERTY, Integer.toString(port));
    return port;
  }

  static void release() {
    System.clearProperty(PROPERTY);
  }
}
