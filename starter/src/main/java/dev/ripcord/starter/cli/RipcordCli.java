package dev.ripcord.starter.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.ripcord.starter.client.RipcordClient;
import dev.ripcord.workflows.policy.InvalidPolicyException;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowException;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowServiceException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ripcord}: start, watch, decide on, feed, export and replay releases; validate policies; run the demo.
 * Exit codes: 0 ok, 1 a check failed (invalid policy, refused decision, non-deterministic replay, demo not rolled
 * back), 2 usage error, 3 Temporal unreachable or another runtime error.
 */
@Command(name = "ripcord", mixinStandardHelpOptions = true, version = "ripcord 0.1.0",
    description = "A durable release guard for generative-model releases, on Temporal.",
    footer = {"", "Examples:",
        "  ripcord demo",
        "  ripcord policy validate examples/conversational-agent.yaml",
        "  ripcord release start --policy examples/conversational-agent.yaml",
        "  ripcord approve release-support-chat-chat-2026-11-b --by alice@example.com --role safety-lead",
        "  ripcord replay histories/*.json",
        "  ripcord backtest --policy examples/conversational-agent.yaml --observations examples/observations.jsonl",
        "", "Exit codes: 0 ok, 1 a check failed, 2 usage error, 3 Temporal unreachable or runtime error."},
    subcommands = {
        DemoCommand.class,
        PolicyCommand.class,
        ReleaseCommand.class,
        StatusCommand.class,
        ListCommand.class,
        WatchCommand.class,
        AuditCommand.class,
        CodecCommand.class,
        LoginCommand.class,
        LogoutCommand.class,
    })
public final class RipcordCli {
  public static final int OK = 0;
  public static final int CHECK_FAILED = 1;
  public static final int USAGE = 2;
  public static final int RUNTIME = 3;
  static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Where Temporal is: the same defaults as the Temporal CLI. */
  static final class Connection {
    @Option(names = "--address", defaultValue = "${env:TEMPORAL_ADDRESS:-127.0.0.1:7233}",
        description = "Temporal frontend host:port (env TEMPORAL_ADDRESS; default 127.0.0.1:7233)")
    String address;

    @Option(names = "--namespace", defaultValue = "${env:TEMPORAL_NAMESPACE:-default}",
        description = "Temporal namespace (env TEMPORAL_NAMESPACE; default default)")
    String namespace;

    @Option(names = "--tls-ca", defaultValue = "${env:TEMPORAL_TLS_CA}",
        description = "PEM file of the CA that signed the frontend's certificate (env TEMPORAL_TLS_CA); turns TLS on")
    java.nio.file.Path tlsCa;

    @Option(names = "--tls-cert", defaultValue = "${env:TEMPORAL_TLS_CERT}",
        description = "PEM client certificate for mutual TLS (env TEMPORAL_TLS_CERT); needs --tls-key")
    java.nio.file.Path tlsCert;

    @Option(names = "--tls-key", defaultValue = "${env:TEMPORAL_TLS_KEY}",
        description = "PEM (PKCS#8) key of the client certificate (env TEMPORAL_TLS_KEY)")
    java.nio.file.Path tlsKey;

    @Option(names = "--codec-keys", defaultValue = "${env:RIPCORD_CODEC_KEYS}",
        description = "the namespace's payload keys file, or its JSON (env RIPCORD_CODEC_KEYS): signals and starts"
            + " are encrypted with its current key, histories read with any of its keys (ripcord codec new-key)")
    String codecKeys;

    /** The codec keys the command was given, or none. */
    java.util.Optional<dev.ripcord.activities.temporal.codec.CodecKeys> keys() {
      return codecKeys == null || codecKeys.isBlank() ? java.util.Optional.empty()
          : java.util.Optional.of(dev.ripcord.activities.temporal.codec.CodecKeys.from(codecKeys));
    }

    RipcordClient connect() {
      return connect(dev.ripcord.starter.client.CliTracing.off());
    }

    RipcordClient connect(dev.ripcord.starter.client.CliTracing tracing) {
      return RipcordClient.connect(address, namespace, new RipcordClient.Tls(tlsCa, tlsCert, tlsKey), tracing,
          keys());
    }

    /**
     * The histories behind {@code source}: an exported history file, or every run of a live release (following
     * continue-as-new), oldest first. Connects only for a release id.
     */
    java.util.List<io.temporal.common.WorkflowExecutionHistory> runsOf(String source) throws java.io.IOException {
      java.nio.file.Path bundle = EvidenceCommand.bundle(source);
      if (bundle != null) {
        // an evidence bundle: every run, after Temporal has forgotten them
        return EvidenceCommand.runs(bundle).stream()
            .map(h -> dev.ripcord.starter.history.HistoryReplay.readable(h, keys())).toList();
      }
      java.nio.file.Path file = java.nio.file.Path.of(source);
      if (java.nio.file.Files.isRegularFile(file)) {
        return java.util.List.of(dev.ripcord.starter.history.HistoryReplay.readable(
            dev.ripcord.starter.history.HistoryReplay.loadStored(file), keys()));
      }
      try (RipcordClient client = connect()) {
        return client.allRuns(source);
      }
    }
  }

  /** {@code --pages-url}: where the worker serves the release pages, for links in the status line and the CLI. */
  static final class PagesUrl {
    @picocli.CommandLine.Spec(picocli.CommandLine.Spec.Target.MIXEE) picocli.CommandLine.Model.CommandSpec mixee;

    @Option(names = "--pages-url", defaultValue = "${env:RIPCORD_PAGES_URL}",
        description = "where people reach the worker's release pages, e.g. https://ripcord.example.com (env"
            + " RIPCORD_PAGES_URL): the release's status line in the Temporal UI and ripcord status link its page")
    String pagesUrl;

    /** The address, checked: an absolute http(s) URL, or null when not given. */
    String url() {
      if (pagesUrl == null || pagesUrl.isBlank()) {
        return null;
      }
      try {
        java.net.URI u = new java.net.URI(pagesUrl.trim());
        if (("http".equals(u.getScheme()) || "https".equals(u.getScheme())) && u.getHost() != null
            && u.getQuery() == null && u.getFragment() == null) {
          return pagesUrl.trim();
        }
      } catch (java.net.URISyntaxException e) {
        // falls through to the refusal
      }
      throw new picocli.CommandLine.ParameterException(mixee.commandLine(), "--pages-url '" + pagesUrl
          + "' is not an http(s) address without query or fragment, e.g. https://ripcord.example.com");
    }
  }

  /** {@code --output text|json} for the read commands. */
  enum Output { text, json }

  /**
   * The CLI: the commands above, one per decision kind ({@link DecisionCommand#of}), then the rest, in the order
   * the help lists them.
   */
  static CommandLine commandLine() {
    CommandLine cli = new CommandLine(new RipcordCli());
    for (var kind : dev.ripcord.workflows.approval.DecisionKind.values()) {
      cli.addSubcommand(DecisionCommand.of(kind));
    }
    for (Object c : java.util.List.of(new RereleaseCommand(), new ObserveCommand(), new HistoryCommand(),
        new ReplayCommand(), new BacktestCommand(), new DrillCommand(), new ReviewCommand(), new EvidenceCommand(),
        new LabelCommand(), new AccuracyCommand(), new CommandLine.HelpCommand())) {
      cli.addSubcommand(c);
    }
    return cli;
  }

  public static void main(String[] args) {
    System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
  }

  public static int run(String[] args, PrintWriter out, PrintWriter err) {
    CommandLine cli = commandLine();
    cli.setOut(out);
    cli.setErr(err);
    cli.setExecutionExceptionHandler((e, cmd, parsed) -> {
      cmd.getErr().println("ripcord: " + explain(e));
      return e instanceof InvalidPolicyException ? CHECK_FAILED : RUNTIME;
    });
    return cli.execute(args);
  }

  static String explain(Throwable e) {
    if (e instanceof WorkflowNotFoundException nf) {
      return "no such release: " + nf.getExecution().getWorkflowId() + " (list releases in the Temporal UI, or check"
          + " --address/--namespace)";
    }
    for (Throwable c = e; c != null; c = c.getCause()) {
      if (c instanceof StatusRuntimeException s) {
        return switch (s.getStatus().getCode()) {
          case UNAVAILABLE, DEADLINE_EXCEEDED -> "cannot reach Temporal (" + s.getStatus().getDescription() + "); start"
              + " the worker (it embeds a server on 127.0.0.1:7233) or pass --address";
          default -> "Temporal refused: " + s.getStatus().getCode() + " " + s.getStatus().getDescription();
        };
      }
    }
    if (e instanceof io.temporal.client.schedules.ScheduleException) {
      return e.getMessage() + (e.getCause() == null ? "" : ": " + explain(e.getCause()));
    }
    if (e instanceof WorkflowServiceException || e instanceof WorkflowException) {
      return e.getMessage() + (e.getCause() == null ? "" : ": " + e.getCause().getMessage());
    }
    return e.getMessage() == null ? e.toString() : e.getMessage();
  }
}
