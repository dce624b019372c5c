package dev.ripcord.starter.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ripcord.starter.client.RipcordClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "observe", mixinStandardHelpOptions = true,
    description = {"Push observations to a release whose policy says observations.source: pushed.",
        "One JSON object per window, in the backtest line format; each is validated by the release and refused",
        "into its audit log if malformed."},
    footer = {"", "Example:", "  ripcord observe release-support-chat-chat-2026-11-b --json "
        + "'{\"signals\":{\"hallucination\":{\"candidate\":{\"events\":12,\"trials\":10000},"
        + "\"baseline\":{\"events\":5,\"trials\":10000}}}}'"})
final class ObserveCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

  @Parameters(paramLabel = "RELEASE_ID")
  String releaseId;

  @ArgGroup(multiplicity = "1")
  Input input;

  static final class Input {
    @Option(names = "--json", description = "one observation as JSON")
    String json;

    @Option(names = "--file", description = "a JSONL file, one observation per line")
    Path file;
  }

  @Override
  public Integer call() throws Exception {
    List<JsonNode> observations = new ArrayList<>();
    List<String> lines = input.json != null ? List.of(input.json) : Files.readAllLines(input.file);
    for (int i = 0; i < lines.size(); i++) {
      if (lines.get(i).isBlank()) {
        continue;
      }
      try {
        observations.add(RipcordCli.JSON.readTree(lines.get(i)));
      } catch (Exception e) {
        spec.commandLine().getErr().println("ripcord: line " + (i + 1) + " is not JSON: " + e.getMessage());
        return RipcordCli.USAGE;
      }
    }
    try (RipcordClient client = connection.connect()) {
      for (JsonNode o : observations) {
        client.observe(releaseId, o);
      }
    }
    spec.commandLine().getOut().println("sent " + observations.size() + " observation(s) to " + releaseId);
    return RipcordCli.OK;
  }
}
