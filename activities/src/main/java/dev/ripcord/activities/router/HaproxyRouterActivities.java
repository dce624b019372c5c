package dev.ripcord.activities.router;

import dev.ripcord.workflows.activity.RouterFailures;
import dev.ripcord.workflows.policy.RouterSpec;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.StandardProtocolFamily;
import java.net.URI;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives HAProxy through its Runtime API (the stats socket, {@code level admin}): {@code router.url} is
 * {@code tcp://host:port} or {@code unix:///path/to/admin.sock}, {@code router.route} the backend, whose servers are
 * named after the release's versions (candidate and baseline). A change sets absolute weights, the candidate's to
 * the stage's percentage and the baseline's to the rest ({@code set server BACKEND/SERVER weight N}), and reads them
 * back with {@code show servers state BACKEND}; a weight already in place is not set again ({@code applied: false}),
 * so retries and replays change nothing twice. HAProxy has no idempotency keys; absolute weights make them needless.
 *
 * <p>With {@code router.stickiness} each change first checks that the backend hashes the user's header
 * ({@code balance hdr(X-User-Id)}) or cookie ({@code balance hash req.cook(session)}); with {@code hash-type
 * consistent} (the only hash type whose weights can change at run time) a user stays on one version while the weights
 * stand, and a user on the candidate stays on it as its weight grows.
 */
public class HaproxyRouterActivities implements TrafficRouter {
  private static final Logger log = LoggerFactory.getLogger(HaproxyRouterActivities.class);
  private final Duration timeout;

  public HaproxyRouterActivities(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public String type() {
    return "haproxy";
  }

  @Override
  public WeightChange setWeight(WeightCommand c) {
    String backend = c.router().route();
    if (c.router().stickiness() != null) {
      requireSticky(c.router());
    }
    Map<String, Integer> before = weights(c.router());
    require(before, backend, c.candidate());
    require(before, backend, c.baseline());
    int baselineWeight = 100 - c.to();
    boolean already = before.get(c.candidate()) == c.to() && before.get(c.baseline()) == baselineWeight;
    if (!already) {
      String answer = command(c.router(), "set server " + backend + "/" + c.candidate() + " weight " + c.to()
          + "; set server " + backend + "/" + c.baseline() + " weight " + baselineWeight);
      if (!answer.isBlank()) {
        throw ApplicationFailure.newNonRetryableFailure("HAProxy refused the weights for backend " + backend + ": "
            + answer.strip() + (answer.contains("static") ? " (a hashing backend needs 'hash-type consistent' for"
            + " weights that change at run time)" : ""), RouterFailures.REJECTED);
      }
    }
    log.info("{}: HAProxy {}/{} weight {} -> {}, {} -> {} ({})", c.releaseId(), backend, c.candidate(),
        before.get(c.candidate()), c.to(), c.baseline(), baselineWeight, already ? "already set" : "set");
    return new WeightChange(c.from(), c.to(), c.idempotencyKey(), !already, c.reason());
  }

  /** The candidate's share of the backend's weight, in percent (0 when no server has weight). */
  @Override
  public int readWeight(RouterSpec router, String candidate) {
    Map<String, Integer> w = weights(router);
    require(w, router.route(), candidate);
    int total = w.values().stream().mapToInt(Integer::intValue).sum();
    return total == 0 ? 0 : (int) Math.round(100.0 * w.get(candidate) / total);
  }

  /**
   * Refuses a backend that does not hash what {@code router.stickiness} names: HAProxy's statistics give the
   * backend's algorithm ({@code hdr} or {@code hash}), not its argument, so the header's name is the operator's to set.
   */
  void requireSticky(RouterSpec router) {
    String wanted = router.stickiness().header() != null ? "hdr" : "hash";
    String algo = backendAlgorithm(router);
    if (!wanted.equals(algo)) {
      String config = router.stickiness().header() != null ? "balance hdr(" + router.stickiness().header() + ")"
          : "balance hash req.cook(" + router.stickiness().cookie() + ")";
      throw ApplicationFailure.newNonRetryableFailure("router.stickiness asks HAProxy to keep each user on one version"
          + " by " + router.stickiness().describe() + ", but backend '" + router.route() + "' balances by '" + algo
          + "' (HAProxy names random and round robin 'unknown'), not by hashing it; configure it with '" + config
          + "' and 'hash-type consistent'", RouterFailures.REJECTED);
    }
  }

  /** The backend's load-balancing algorithm, from the {@code algo} column of {@code show stat BACKEND 2 -1}. */
  String backendAlgorithm(RouterSpec router) {
    List<String> lines = table(router, "show stat " + router.route() + " 2 -1", 0);
    List<String> header = List.of(lines.get(0).substring(1).trim().split(","));
    int algo = header.indexOf("algo");
    String[] row = lines.get(1).split(",", -1);
    if (algo < 0 || algo >= row.length) {
      throw ApplicationFailure.newFailure("HAProxy's 'show stat' has no algo column: " + lines.get(0),
          RouterFailures.UNAVAILABLE);
    }
    return row[algo];
  }

  /**
   * The non-blank lines (at least two) of a Runtime API table about the backend, its {@code #} header at line
   * {@code headerAt}; a refusal naming the backend when HAProxy answered without one (no such backend).
   */
  private List<String> table(RouterSpec router, String command, int headerAt) {
    String out = command(router, command);
    List<String> lines = out.lines().filter(l -> !l.isBlank()).toList();
    if (lines.size() < 2 || !lines.get(headerAt).startsWith("#")) {
      throw ApplicationFailure.newNonRetryableFailure("HAProxy has no backend '" + router.route() + "' (router.route):"
          + " " + out.strip(), RouterFailures.REJECTED);
    }
    return lines;
  }

  /** Each server of the backend with its current (user) weight, from {@code show servers state}. */
  Map<String, Integer> weights(RouterSpec router) {
    List<String> lines = table(router, "show servers state " + router.route(), 1);
    List<String> header = List.of(lines.get(1).substring(1).trim().split("\\s+"));
    int name = header.indexOf("srv_name");
    int weight = header.indexOf("srv_uweight");
    if (name < 0 || weight < 0) {
      throw ApplicationFailure.newFailure("HAProxy's 'show servers state' has no srv_name/srv_uweight columns: "
          + lines.get(1), RouterFailures.UNAVAILABLE);
    }
    Map<String, Integer> out2 = new LinkedHashMap<>();
    for (String line : lines.subList(2, lines.size())) {
      String[] f = line.trim().split("\\s+");
      out2.put(f[name], Integer.parseInt(f[weight]));
    }
    return out2;
  }

  private static void require(Map<String, Integer> weights, String backend, String server) {
    if (!weights.containsKey(server)) {
      throw ApplicationFailure.newNonRetryableFailure("HAProxy backend '" + backend + "' has no server '" + server
          + "' (it has " + new ArrayList<>(weights.keySet()) + "); name the backend's servers after the release's"
          + " candidate and baseline versions", RouterFailures.REJECTED);
    }
  }

  /** One Runtime API command (or several, separated by ';'): HAProxy answers and closes the connection. */
  String command(RouterSpec router, String command) {
    SocketAddress address = address(router);
    byte[] line = (command + "\n").getBytes(StandardCharsets.US_ASCII);
    try {
      if (address instanceof InetSocketAddress inet) {
        try (Socket s = new Socket()) {
          s.connect(inet, (int) timeout.toMillis());
          s.setSoTimeout((int) timeout.toMillis()); // each read waits at most this long
          s.getOutputStream().write(line);
          s.getOutputStream().flush();
          return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
      }
      try (SocketChannel ch = SocketChannel.open(StandardProtocolFamily.UNIX)) {
        ch.connect(address);
        ch.write(ByteBuffer.wrap(line));
        return new String(Channels.newInputStream(ch).readAllBytes(), StandardCharsets.UTF_8);
      }
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("HAProxy's Runtime API at " + router.url() + " is unreachable or silent: "
          + e + " (is 'stats socket ... level admin' configured?)", RouterFailures.UNAVAILABLE);
    }
  }

  static SocketAddress address(RouterSpec router) {
    URI u = URI.create(router.url());
    if ("unix".equals(u.getScheme())) {
      return UnixDomainSocketAddress.of(u.getPath());
    }
    if ("tcp".equals(u.getScheme()) && u.getHost() != null && u.getPort() > 0) {
      return new InetSocketAddress(u.getHost(), u.getPort());
    }
    throw ApplicationFailure.newNonRetryableFailure("router.url '" + router.url() + "' is not a Runtime API address;"
        + " write tcp://host:port or unix:///run/haproxy/admin.sock", RouterFailures.REJECTED);
  }
}
