package dev.ripcord.integration;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A real PostgreSQL server from Debian's packages on loopback, in a data directory of its own, with the role
 * {@code temporal}/{@code temporal} that the Temporal server and its schema tool log in as. PostgreSQL refuses to run
 * as root, so under root it runs as the {@code postgres} user the package creates ({@code setpriv}, which execs, so
 * signals reach the server itself).
 */
public final class PostgresServer implements AutoCloseable {
  public static final String USER = "temporal";
  public static final String PASSWORD = "temporal";
  public final int port = Components.freePort();
  private final Path data;
  private final Path socketDir;
  private Proc proc;

  public PostgresServer() {
    try {
      Path dir = Files.createTempDirectory("ripcord-it-postgres");
      data = dir.resolve("data");
      socketDir = dir.resolve("sockets");
      Files.createDirectories(socketDir);
      Path pw = dir.resolve("pwfile");
      Files.writeString(pw, PASSWORD + "\n");
      handToServerUser(dir, pw, socketDir);
      Proc init = Proc.start("postgres-initdb", asServerUser(List.of(Components.postgresBin("initdb").toString(),
          "-D", data.toString(), "-U", USER, "--pwfile", pw.toString(), "-A", "scram-sha-256", "-E", "UTF8",
          "--no-sync")), Map.of());
      int exit = init.waitFor(Duration.ofMinutes(2));
      if (exit != 0) {
        throw new AssertionError("initdb failed (exit " + exit + "):\n" + init.logTail());
      }
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    start();
  }

  public void start() {
    proc = Proc.start("postgres", asServerUser(List.of(Components.postgresBin("postgres").toString(), "-D",
        data.toString(), "-p", Integer.toString(port), "-h", "127.0.0.1", "-k", socketDir.toString(),
        "-c", "max_connections=300", "-c", "fsync=on")), Map.of());
    proc.awaitUntil("PostgreSQL accepting connections on " + port, Duration.ofSeconds(60), this::ready);
  }

  private boolean ready() {
    try {
      Process p = new ProcessBuilder(Components.postgresBin("pg_isready").toString(), "-h", "127.0.0.1", "-p",
          Integer.toString(port), "-U", USER).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor() == 0;
    } catch (IOException e) {
      return false;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * Fast shutdown (SIGINT): open sessions are cut and the server stops at once, as an operator's restart of the
   * database does; SIGTERM would wait for the Temporal server's pooled connections to close by themselves.
   */
  public void stop() {
    if (proc == null || !proc.alive()) {
      return;
    }
    try {
      new ProcessBuilder("kill", "-INT", Long.toString(proc.pid())).start().waitFor();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    if (proc.waitFor(Duration.ofSeconds(30)) == -1) {
      throw new AssertionError("PostgreSQL did not stop on SIGINT within 30 s:\n" + proc.logTail());
    }
  }

  /** The postmaster's process id; its backends are its children. */
  public long pid() {
    return proc.pid();
  }

  @Override
  public void close() {
    stop();
  }

  private static boolean root() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static List<String> asServerUser(List<String> cmd) {
    if (!root()) {
      return cmd;
    }
    List<String> wrapped = new ArrayList<>(List.of("setpriv", "--reuid=postgres", "--regid=postgres",
        "--init-groups", "--"));
    wrapped.addAll(cmd);
    return wrapped;
  }

  private static void handToServerUser(Path... paths) throws IOException {
    if (!root()) {
      return;
    }
    UserPrincipalLookupService users = paths[0].getFileSystem().getUserPrincipalLookupService();
    for (Path p : paths) {
      try {
        Files.setOwner(p, users.lookupPrincipalByName("postgres"));
      } catch (java.nio.file.attribute.UserPrincipalNotFoundException e) {
        throw new IllegalStateException("PostgreSQL cannot run as root and there is no postgres user to run it as;"
            + " install it with: apt-get install postgresql", e);
      }
    }
  }
}
