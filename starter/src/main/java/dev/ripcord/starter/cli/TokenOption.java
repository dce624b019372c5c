package dev.ripcord.starter.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * The person's signed token for verified identity ({@code governance.identity.mode: verified}): from
 * {@code --token-file}, {@code --token} or the {@code RIPCORD_TOKEN} environment variable, in that order. The token
 * rides in the decision itself, so the release verifies it and its history shows what was verified. With none given,
 * a sign-in from {@code ripcord login} at the release's issuer supplies a fresh one per command.
 */
final class TokenOption {
  static final String ENV = "RIPCORD_TOKEN";

  @Option(names = "--token", description = "your signed token from the policy's identity provider (verified"
      + " identity); prefer --token-file or RIPCORD_TOKEN, which stay out of the process list")
  String token;

  @Option(names = "--token-file", description = "a file holding your token (e.g. written by your provider's CLI)")
  Path tokenFile;

  /**
   * The token to send: the one given, else, for a release that verifies identity, a fresh one from your sign-in at
   * its issuer ({@code ripcord login}); null when there is neither, or when {@code by} names you as typed.
   */
  String forRelease(RipcordCli.Connection connection, String releaseId, String by) throws IOException {
    String given = token();
    if (given != null || by != null) {
      return given;
    }
    String issuer;
    try (var client = connection.connect()) {
      issuer = client.verifyingIssuer(releaseId);
    } catch (RuntimeException e) {
      return null; // the command itself reports an unreachable Temporal or an unknown release
    }
    return forIssuer(issuer);
  }

  /** The token given, else a fresh one from your sign-in at {@code issuer} (null: the release does not verify). */
  String forIssuer(String issuer) throws IOException {
    String given = token();
    if (given != null || issuer == null) {
      return given;
    }
    var store = dev.ripcord.starter.login.LoginStore.ofUser();
    var login = store.get(issuer);
    if (login.isEmpty()) {
      return null;
    }
    try {
      return dev.ripcord.starter.login.SignIn.freshToken(store, login.get());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted asking " + issuer + " for a token", e);
    }
  }

  /** The token given (file, option, environment), or null when none was. */
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
