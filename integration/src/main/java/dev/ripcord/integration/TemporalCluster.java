package dev.ripcord.integration;

import com.google.protobuf.util.Durations;
import io.temporal.api.workflowservice.v1.DescribeNamespaceRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.RegisterNamespaceRequest;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The deployment teams run: the Temporal server (v1.32.1, all four services in one process) on a real PostgreSQL,
 * with {@value #SHARDS} history shards and SQL advanced visibility, its schema set up by Temporal's own SQL tool,
 * configured by the same file the compose file and the manifests use ({@code deploy/temporal/temporal.yaml}, no
 * dev-server flags), and the standalone UI server in front of it.
 */
public final class TemporalCluster implements TemporalService {
  public static final int SHARDS = 8;
  public final PostgresServer postgres;
  private final Map<String, String> env = new LinkedHashMap<>();
  private final int frontendPort = Components.freePortBelow(32_768);
  public final int metricsPort = Components.freePort();
  private Proc server;
  private TemporalUiServer ui;
  private Frontend frontend;

  public TemporalCluster() {
    postgres = new PostgresServer();
    env.put("POSTGRES_SEEDS", "127.0.0.1");
    env.put("DB_PORT", Integer.toString(postgres.port));
    env.put("POSTGRES_USER", PostgresServer.USER);
    env.put("POSTGRES_PWD", PostgresServer.PASSWORD);
    env.put("NUM_HISTORY_SHARDS", Integer.toString(SHARDS));
    env.put("FRONTEND_GRPC_PORT", Integer.toString(frontendPort));
    for (String port : List.of("FRONTEND_HTTP_PORT", "FRONTEND_MEMBERSHIP_PORT", "MATCHING_GRPC_PORT",
        "MATCHING_MEMBERSHIP_PORT", "HISTORY_GRPC_PORT", "HISTORY_MEMBERSHIP_PORT", "WORKER_GRPC_PORT",
        "WORKER_MEMBERSHIP_PORT")) {
      env.put(port, Integer.toString(Components.freePortBelow(32_768)));
    }
    env.put("PROMETHEUS_PORT", Integer.toString(metricsPort));
    env.put("DYNAMIC_CONFIG_FILE_PATH", deploy().resolve("dynamicconfig.yaml").toString());
    setUpSchema("temporal", "postgresql/v12/temporal");
    setUpSchema("temporal_visibility", "postgresql/v12/visibility");
    start();
    registerDefaultNamespace();
    startUi();
  }

  private static Path deploy() {
    return Components.root().resolve("deploy/temporal");
  }

  /** {@code temporal-sql-tool}: create the database, then apply every versioned schema step up to the newest. */
  private void setUpSchema(String database, String schemaName) {
    List<String> base = List.of(Components.temporalSqlTool().toString(), "--plugin", "postgres12", "--ep",
        "127.0.0.1", "-p", Integer.toString(postgres.port), "-u", PostgresServer.USER, "--pw",
        PostgresServer.PASSWORD, "--db", database);
    sqlTool(base, "create-database");
    sqlTool(base, "setup-schema", "-v", "0.0");
    sqlTool(base, "update-schema", "--schema-name", schemaName);
  }

  private static void sqlTool(List<String> base, String... command) {
    List<String> cmd = new ArrayList<>(base);
    cmd.addAll(List.of(command));
    Proc p = Proc.start("temporal-sql-tool", cmd, Map.of());
    int exit = p.waitFor(Duration.ofMinutes(2));
    if (exit != 0) {
      throw new AssertionError("temporal-sql-tool " + String.join(" ", command) + " failed (exit " + exit + "):\n"
          + p.logTail());
    }
  }

  /** Starts the server (again, after {@link #stop()}); its state is all in PostgreSQL. */
  public void start() {
    server = Proc.start("temporal-server", List.of(Components.temporalServer().toString(), "--config-file",
        deploy().resolve("temporal.yaml").toString(), "start"), env);
    client();
    server.awaitUntil("the frontend to answer on " + address(), Duration.ofSeconds(120), frontend::answers);
  }

  /** SIGTERM and wait, as an operator's restart of the server does. */
  public void stop() {
    server.stop();
  }

  private void registerDefaultNamespace() {
    var rpc = client().getWorkflowServiceStubs().blockingStub();
    rpc.registerNamespace(RegisterNamespaceRequest.newBuilder().setNamespace("default")
        .setWorkflowExecutionRetentionPeriod(Durations.fromDays(1)).build());
    // A new namespace is served once every frontend's namespace cache has it (refreshed every few seconds).
    server.awaitUntil("the default namespace served", Duration.ofSeconds(60), () -> {
      try {
        rpc.describeNamespace(DescribeNamespaceRequest.newBuilder().setNamespace("default").build());
        rpc.listWorkflowExecutions(ListWorkflowExecutionsRequest.newBuilder().setNamespace("default").build());
        return true;
      } catch (RuntimeException e) {
        return false;
      }
    });
  }

  private void startUi() {
    ui = new TemporalUiServer(address(), Map.of());
  }

  @Override
  public String address() {
    return "127.0.0.1:" + frontendPort;
  }

  @Override
  public String uiUrl() {
    return ui.url();
  }

  /** The server's own Prometheus endpoint. */
  public String metricsUrl() {
    return "http://127.0.0.1:" + metricsPort + "/metrics";
  }

  @Override
  public long pid() {
    return server.pid();
  }

  @Override
  public List<Long> serverPids() {
    return List.of(server.pid(), postgres.pid());
  }

  @Override
  public synchronized WorkflowClient client() {
    if (frontend == null) {
      frontend = new Frontend(address());
    }
    return frontend.client();
  }

  @Override
  public void close() {
    if (frontend != null) {
      frontend.close();
    }
    if (ui != null) {
      ui.close();
    }
    if (server != null) {
      server.stop();
    }
    postgres.close();
  }
}
