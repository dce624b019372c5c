package dev.ripcord.starter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The person's signed token for verified identity ({@code governance.identity.mode: verified}): from
 * {@code --token-file}, {@code --token} or the {@code RIPCORD_TOKEN} environment variable, in that order. The token
 * rides in the decision itself, so the release verifies it and its history shows what was verified.
 */
final class TokenOption {
  static final String ENV = "RIPCORD_TOKEN";

  @Option(names = "--token", description = "your signed token from the policy's identity provider (verified"
      + " identity); prefer --token-file or RIPCORD_TOKEN, which stay out of the process list")
  String token;

  @Option(names = "--token-file", description = "a file holding your token (e.g. written by your provider's CLI)")
  Path tokenFile;

  /** The token to send, or null when none was given. */
  String token() throws IOException {
    if (tokenFile != null) {
      return Files.readString(tokenFile).strip();
    }
    if (token != null) {
      return token.strip();
    }
    String env = System.getenv(ENV);
    return env == null || env.isBlank() ? null : env.strip();
  }
}
