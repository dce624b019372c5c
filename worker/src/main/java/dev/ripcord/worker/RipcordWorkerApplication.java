package dev.ripcord.worker;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * The Ripcord worker: hosts the release workflow and its activities on the {@code ripcord} task queue. With no
 * Temporal address configured ({@code spring.temporal.connection.target}, env {@code TEMPORAL_ADDRESS}) it starts an
 * embedded Temporal server on 127.0.0.1:7233 so the CLI can connect from another terminal.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class RipcordWorkerApplication {
  public static void main(String[] args) {
    SpringApplication.run(RipcordWorkerApplication.class, args);
  }
}
