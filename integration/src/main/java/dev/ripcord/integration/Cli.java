package dev.ripcord.integration;

import dev.ripcord.workflows.policy.PolicyLoader;
import dev.ripcord.workflows.policy.ReleasePolicy;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The shipped {@code ripcord} CLI jar (and the Temporal CLI), run as their own processes, as people run them. */
public final class Cli {
  public record Run(int exit, String output) {}

  private Cli() {}

  public static Run run(List<String> classpathExtras, String... args) {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m"));
    if (classpathExtras.isEmpty()) {
      cmd.addAll(List.of("-jar", Components.cliJar().toString()));
    } else {
      List<String> cp = new ArrayList<>(List.of(Components.cliJar().toString()));
      cp.addAll(classpathExtras);
      cmd.addAll(List.of("-cp", String.join(":", cp), "dev.ripcord.starter.cli.RipcordCli"));
    }
    cmd.addAll(List.of(args));
    return exec(cmd, "ripcord " + String.join(" ", args));
  }

  /** The Temporal CLI ({@code temporal workflow list ...}), as operators use it against a server. */
  public static Run runTemporal(String... args) {
    List<String> cmd = new ArrayList<>(List.of(Components.temporal().toString()));
    cmd.addAll(List.of(args));
    return exec(cmd, "temporal " + String.join(" ", args));
  }

  /** The shipped CLI with extra environment (e.g. {@code RIPCORD_CONFIG_DIR}), run to its end. */
  public static Run run(Map<String, String> env, String... args) {
    return exec(cliCommand(args), "ripcord " + String.join(" ", args), env);
  }

  /** The shipped CLI with extra environment, started and left running (e.g. {@code ripcord login}, which waits). */
  public static Process start(Map<String, String> env, String... args) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(cliCommand(args)).redirectErrorStream(true);
    pb.environment().putAll(env);
    return pb.start();
  }

  private static List<String> cliCommand(String... args) {
    List<String> cmd = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
        "-jar", Components.cliJar().toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static Run exec(List<String> cmd, String what) {
    return exec(cmd, what, Map.of());
  }

  private static Run exec(List<String> cmd, String what, Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().putAll(env);
      Process p = pb.start();
      String out = new String(p.getInputStream().readAllBytes());
      if (!p.waitFor(120, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(what + " did not finish:\n" + out);
      }
      return new Run(p.exitValue(), out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Run run(String... args) {
    return run(List.of(), args);
  }

  /** {@code ripcord release start --policy FILE}, with the policy written where the test's artifacts go. */
  public static Run startRelease(TemporalService server, ReleasePolicy p) throws IOException {
    Path file = Files.createDirectories(Components.artifacts().resolve("policies")).resolve(p.releaseId() + ".json");
    Files.writeString(file, PolicyLoader.toJson(p));
    Run r = run("release", "start", "--policy", file.toString(), "--address", server.address());
    if (r.exit() != 0) {
      throw new AssertionError("ripcord release start failed (" + r.exit() + "):\n" + r.output());
    }
    return r;
  }
}
