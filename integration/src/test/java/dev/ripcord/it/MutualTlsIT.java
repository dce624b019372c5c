package dev.ripcord.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.integration.Cli;
import dev.ripcord.integration.Components;
import dev.ripcord.integration.DevServer;
import dev.ripcord.integration.Releases;
import dev.ripcord.integration.TlsProxy;
import dev.ripcord.integration.WorkerProcess;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import dev.ripcord.workflows.testing.PolicyBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The configuration the README's threat model shows, against a frontend that requires mutual TLS: the worker
 * (Spring properties) and the CLI ({@code --tls-ca/--tls-cert/--tls-key}) connect with a client certificate; without
 * one the handshake is refused and the CLI says it cannot reach Temporal.
 */
class MutualTlsIT {
  static DevServer server;
  static TlsProxy proxy;
  static TlsProxy.Certificates certs;
  static WorkerProcess worker;
  static ReferenceGateway gateway;

  @BeforeAll
  static void up() throws Exception {
    server = new DevServer();
    gateway = ReferenceGateway.start(0);
    certs = TlsProxy.certificates(Components.artifacts().resolve("tls"));
    String[] hostPort = server.address().split(":");
    proxy = new TlsProxy(certs, hostPort[0], Integer.parseInt(hostPort[1]));
    worker = new WorkerProcess(server, List.of("-Xmx384m", "-XX:+UseSerialGC",
        "-Djavax.net.ssl.trustStore=" + certs.caTrustStore(), "-Djavax.net.ssl.trustStorePassword=changeit",
        "-Djavax.net.ssl.trustStoreType=PKCS12"),
        "--spring.temporal.connection.target=" + proxy.address(),
        "--spring.temporal.connection.mtls.cert-chain-file=" + certs.clientCertPem(),
        "--spring.temporal.connection.mtls.key-file=" + certs.clientKeyPem());
  }

  @AfterAll
  static void down() {
    if (worker != null) worker.close();
    if (proxy != null) proxy.close();
    if (server != null) server.close();
    if (gateway != null) gateway.close();
  }

  private static Cli.Run cli(List<String> tls, String... args) {
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(List.of("--address", proxy.address()));
    all.addAll(tls);
    return Cli.run(all.toArray(String[]::new));
  }

  @Test
  void theWorkerAndTheCliWorkThroughMutualTlsAndNothingWorksWithoutACertificate() throws Exception {
    List<String> mtls = List.of("--tls-ca", certs.caPem().toString(), "--tls-cert", certs.clientCertPem().toString(),
        "--tls-key", certs.clientKeyPem().toString());
    ReleasePolicy p = PolicyBuilder.chat().model("mtls").pushed().interval("1s").inconclusive(1000, null)
        .promotesOnTime()
        .stage("canary", 10, "30s").stage("full", 100, "1s").router(gateway.url()).build();
    Path file = Components.artifacts().resolve("policies").resolve("mtls.json");
    Files.createDirectories(file.getParent());
    Files.writeString(file, PolicyLoader.toJson(p));

    assertTrue(proxy.handshakes() > 0, "the worker connected through the mTLS frontend");
    int refusedBefore = proxy.refused();
    Cli.Run refused = cli(List.of("--tls-ca", certs.caPem().toString()), "release", "start", "--policy",
        file.toString());
    assertEquals(3, refused.exit(), refused.output());
    assertTrue(refused.output().contains("cannot reach Temporal"), refused.output());
    Cli.Run plain = cli(List.of(), "status", p.releaseId());
    assertEquals(3, plain.exit(), plain.output());
    assertTrue(proxy.refused() > refusedBefore, "the frontend refused the handshake without a client certificate");

    Cli.Run started = cli(mtls, "release", "start", "--policy", file.toString());
    assertEquals(0, started.exit(), started.output());
    // The worker, connected through the same mTLS frontend, runs it; observations pushed by the CLI over mTLS.
    ReleaseWorkflow wf = server.client().newWorkflowStub(ReleaseWorkflow.class, p.releaseId());
    Releases.awaitState(wf, ReleaseState.ROLLING_OUT, Duration.ofSeconds(60));
    Cli.Run status = cli(mtls, "status", p.releaseId());
    assertEquals(0, status.exit(), status.output());
    assertTrue(status.output().contains("ROLLING_OUT"), status.output());
    Cli.Run observed = cli(mtls, "observe", p.releaseId(), "--json",
        Releases.JSON.writeValueAsString(Releases.windowJson("canary", 5)));
    assertEquals(0, observed.exit(), observed.output());
    dev.ripcord.integration.Proc.eventually("the pushed window counted", Duration.ofSeconds(20),
        () -> wf.status().stage().equals("canary") && wf.status().stageSamples() == 10_000,
        () -> wf.status().line());
    Releases.awaitState(wf, ReleaseState.COMPLETED, Duration.ofSeconds(60));
    assertEquals(List.of(10, 100), gateway.changes().stream().map(c -> c.weights().get("v2")).toList());
  }
}
