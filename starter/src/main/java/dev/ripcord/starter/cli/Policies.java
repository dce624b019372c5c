package dev.ripcord.starter.cli;

import dev.ripcord.workflows.policy.PolicyLoader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reads policy files; a bundled example is found by its path when the file is not on disk. */
final class Policies {
  private Policies() {}

  static PolicyLoader.Loaded load(Path file) throws IOException {
    return PolicyLoader.load(file.toString(), read(file));
  }

  static String read(Path file) throws IOException {
    if (Files.exists(file)) {
      return Files.readString(file);
    }
    String resource = "/" + file.toString().replace('\\', '/').replaceFirst("^\\./", "");
    try (InputStream in = Policies.class.getResourceAsStream(resource)) {
      if (in == null) {
        throw new IOException("no policy file " + file.toAbsolutePath());
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
