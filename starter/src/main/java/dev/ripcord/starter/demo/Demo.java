package dev.ripcord.starter.demo;

import dev.ripcord.sandbox.embedded.EmbeddedRelease;
import dev.ripcord.sandbox.gateway.ReferenceGateway;
import dev.ripcord.sandbox.observe.SimulatedModel;
import dev.ripcord.starter.client.RipcordClient;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.StageSpec;
import dev.ripcord.workflows.release.ReleaseReport;
import dev.ripcord.workflows.release.ReleaseState;
import dev.ripcord.workflows.release.ReleaseWorkflow;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * {@code ripcord demo}: one JVM, nothing to install. An embedded Temporal (time skipping, so hours of bake take
 * seconds), the worker, and the reference gateway over real HTTP on loopback with a simulated model behind it whose
 * hallucination rate jumps in the second exposed stage. The release rolls back by itself; the demo prints the audit
 * timeline and writes the history for {@code ripcord replay}.
 */
public final class Demo {
  public static final long OUTPUTS_PER_MINUTE = 200_000;
  private final PrintWriter out;

  public Demo(PrintWriter out) {
    this.out = out;
  }

  /** How to run this CLI again from here: the jar it runs from, relative to the working directory if inside it. */
  static String replayCommand() {
    try {
      Path jar = Path.of(Demo.class.getProtectionDomain().getCodeSource().getLocation().toURI());
      if (!jar.toString().endsWith(".jar")) {
        return "ripcord"; // run from classes (an IDE, the tests): the installed command
      }
      Path here = Path.of("").toAbsolutePath();
      return "java -jar " + (jar.startsWith(here) ? here.relativize(jar) : jar);
    } catch (java.net.URISyntaxException | RuntimeException e) {
      return "ripcord";
    }
  }

  /** The result: the final report and where the history went. */
  public record Outcome(ReleaseReport report, Path history, int notifications) {}

  public Outcome run(PolicyLoader.Loaded loaded, Path historyOut) throws Exception {
    ReleasePolicy policy = loaded.policy();
    String degradedStage = secondExposedStage(policy);
    try (EmbeddedRelease world = EmbeddedRelease.start(policy, "demo",
        SimulatedModel.conversationalDemo(OUTPUTS_PER_MINUTE, degradedStage), "releases")) {
      ReferenceGateway gateway = world.gateway;
      out.println("Ripcord demo: releasing " + policy.release().model() + " " + policy.release().candidate()
          + " over " + policy.release().baseline() + " (policy " + world.policy.hash().substring(0, 19) + "…, the"
          + " hash the audit records: this policy with the demo's gateway as its router)");
      out.println("  embedded Temporal (time skipping), reference gateway at " + gateway.url()
          + ", simulated traffic " + OUTPUTS_PER_MINUTE + " outputs/min");
      out.println("  the candidate's hallucination rate jumps from 3 to 20 per 10k in stage '" + degradedStage + "'");
      out.println();

      RipcordClient client = new RipcordClient(world.client);
      String id = client.start(world.policy, ReleaseWorkflow.TASK_QUEUE);
      WorkflowStub stub = world.env.getWorkflowClient().newUntypedWorkflowStub(id);
      // A blocking getResult is what lets the embedded server skip time; it runs beside the live audit printer.
      CompletableFuture<ReleaseReport> result =
          CompletableFuture.supplyAsync(() -> stub.getResult(ReleaseReport.class));
      ReleaseWorkflow release = client.release(id);
      int shown = 0;
      while (!result.isDone()) {
        shown = show(safeAudit(release), shown);
        Thread.sleep(20);
      }
      ReleaseReport report = result.get(1, TimeUnit.MINUTES);
      show(report.audit(), shown);

      Files.writeString(historyOut, client.history(id).toJson(true));
      out.println();
      out.println("Final state: " + report.state() + (report.timeToMitigateMillis() == null ? ""
          : " — traffic back on the baseline " + report.timeToMitigateMillis() / 1000 + " s (workflow time) after"
          + " the trigger"));
      out.println("Router changes applied by the gateway: " + gateway.changes().stream()
          .map(c -> c.weights().getOrDefault(policy.release().candidate(), 0) + "%").toList()
          + ", notifications received: " + gateway.messages().size());
      out.println("History written to " + historyOut + " (" + Files.size(historyOut) / 1024 + " KiB). Replay it with:");
      out.println("  " + replayCommand() + " replay " + historyOut);
      return new Outcome(report, historyOut, gateway.messages().size());
    }
  }

  private int show(List<AuditEntry> audit, int shown) {
    for (int i = shown; i < audit.size(); i++) {
      out.println("  " + audit.get(i));
    }
    return Math.max(shown, audit.size());
  }

  private static List<AuditEntry> safeAudit(ReleaseWorkflow release) {
    try {
      return release.audit();
    } catch (RuntimeException e) {
      return List.of(); // not started yet
    }
  }

  static String secondExposedStage(ReleasePolicy p) {
    List<String> exposed = new ArrayList<>();
    for (StageSpec s : p.stages()) {
      if (s.weight() > 0) {
        exposed.add(s.name());
      }
    }
    return exposed.size() >= 2 ? exposed.get(1) : exposed.get(exposed.size() - 1);
  }

  /** Exit code of the demo: 0 when the release rolled back as it should. */
  public static int exitCode(Outcome o) {
    return o.report().state() == ReleaseState.ROLLED_BACK ? 0 : 1;
  }
}
