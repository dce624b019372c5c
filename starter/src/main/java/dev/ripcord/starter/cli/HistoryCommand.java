package dev.ripcord.starter.cli;

import dev.ripcord.starter.client.RipcordClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "history", mixinStandardHelpOptions = true,
    description = "Export release histories and the observations they hold.",
    subcommands = {HistoryCommand.Export.class, HistoryCommand.ObservationsOf.class})
final class HistoryCommand {

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = {"Write a release's history as JSON, the same format as `temporal workflow show -o json`, as",
          "Temporal stores it (sealed when payloads are encrypted); --redact-tokens for a copy to share."},
      footer = {"", "Example:", "  ripcord history export release-support-chat-chat-2026-11-b -o incident.json"})
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

    @Parameters(paramLabel = "RELEASE_ID")
    String releaseId;

    @Option(names = {"-o", "--out"}, description = "file to write (default: standard output)")
    Path out;

    @Option(names = "--redact-tokens", description = {"replace every signed token with a mark (redacted:<digest>),",
        "decoding payloads first (--codec-keys): a copy to share, which reads and reviews as before but no longer",
        "replays where tokens decided"})
    boolean redactTokens;

    @Override
    public Integer call() throws Exception {
      try (RipcordClient client = connection.connect()) {
        var history = client.history(releaseId);
        if (redactTokens) {
          history = dev.ripcord.activities.temporal.codec.TokenRedaction.of(
              dev.ripcord.starter.history.HistoryReplay.readable(history, connection.keys()));
        }
        String json = history.toJson(true);
        if (out == null) {
          spec.commandLine().getOut().println(json);
        } else {
          Files.writeString(out, json);
          spec.commandLine().getOut().println("wrote " + out);
        }
      }
      return RipcordCli.OK;
    }
  }

  @Command(name = "observations", mixinStandardHelpOptions = true,
      description = {"Print the observations a release evaluated, one JSON object per line (the backtest format),",
          "from a live release (all its runs) or an exported history file."},
      footer = {"", "Examples:", "  ripcord history observations release-support-chat-chat-2026-11-b > obs.jsonl",
          "  ripcord history observations incident.json > obs.jsonl"})
  static final class ObservationsOf implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

    @Parameters(paramLabel = "RELEASE_ID|HISTORY.json")
    String source;

    @Override
    public Integer call() throws Exception {
      var runs = connection.runsOf(source);
      var out = spec.commandLine().getOut();
      for (var h : runs) {
        for (var o : dev.ripcord.activities.history.HistoryObservations.of(h)) {
          out.println(o.toString());
        }
      }
      return RipcordCli.OK;
    }
  }
}
