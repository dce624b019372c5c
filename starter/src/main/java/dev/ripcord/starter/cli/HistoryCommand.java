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

@Command(name = "history", mixinStandardHelpOptions = true, description = "Export release histories.",
    subcommands = HistoryCommand.Export.class)
final class HistoryCommand {

  @Command(name = "export", mixinStandardHelpOptions = true,
      description = "Write a release's history as JSON, the same format as `temporal workflow show -o json`.",
      footer = {"", "Example:", "  ripcord history export release-support-chat-chat-2026-11-b -o incident.json"})
  static final class Export implements Callable<Integer> {
    @Spec CommandSpec spec;
    @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

    @Parameters(paramLabel = "RELEASE_ID")
    String releaseId;

    @Option(names = {"-o", "--out"}, description = "file to write (default: standard output)")
    Path out;

    @Override
    public Integer call() throws Exception {
      try (RipcordClient client = connection.connect()) {
        String json = client.history(releaseId).toJson(true);
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
}
