package dev.ripcord.starter.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** docs/cli.md is what the CLI says of itself; regenerate it when a command changes. */
class CliReferenceTest {
  @Test
  void theCommittedReferenceIsWhatTheCliPrints() throws Exception {
    String generated = CliReference.markdown();
    assertTrue(generated.contains("## `ripcord drill`") && generated.contains("--wall-limit"), "every command");
    assertEquals(generated, Files.readString(Path.of("../docs/cli.md")), "docs/cli.md is stale: run java -cp"
        + " starter/target/ripcord.jar dev.ripcord.starter.cli.CliReference > docs/cli.md");
  }
}
