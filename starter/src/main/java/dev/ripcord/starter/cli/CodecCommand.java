package dev.ripcord.starter.cli;

import dev.ripcord.activities.temporal.codec.CodecKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.YearMonth;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "codec", mixinStandardHelpOptions = true, header = "Create, rotate and inspect payload keys.",
    description = {"Ripcord encrypts every payload it writes to Temporal (AES-256-GCM) when the worker and the CLI are",
        "given the same keys file (RIPCORD_CODEC_KEYS). new-key creates the file, or adds a key that becomes current",
        "while the old ones stay for reading; show prints the key ids, never the keys."},
    subcommands = {CodecCommand.NewKey.class, CodecCommand.Show.class},
    footer = {"", "Examples:", "  ripcord codec new-key --file /etc/ripcord/codec-keys.json",
        "  ripcord codec show --file /etc/ripcord/codec-keys.json"})
final class CodecCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getErr());
    return RipcordCli.USAGE;
  }

  @Command(name = "new-key", mixinStandardHelpOptions = true,
      header = "Add a new current key to a keys file (creating it, readable by its owner only).")
  static final class NewKey implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--file", required = true, description = "the keys file")
    Path file;

    @Option(names = "--id", description = "the new key's id (default: this month, e.g. 2026-12)")
    String id;

    @Override
    public Integer call() throws Exception {
      String existing = Files.isRegularFile(file) ? Files.readString(file) : null;
      String keyId = id != null ? id : YearMonth.now().toString();
      String text;
      try {
        text = CodecKeys.withNewKey(existing, keyId, new SecureRandom());
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("ripcord codec new-key: " + e.getMessage());
        return RipcordCli.USAGE;
      }
      Path tmp = Files.createTempFile(file.toAbsolutePath().getParent(), ".codec-keys", ".tmp");
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: the directory's own access rules apply
      }
      Files.writeString(tmp, text);
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
          java.nio.file.StandardCopyOption.ATOMIC_MOVE);
      spec.commandLine().getOut().println("key '" + keyId + "' is current in " + file + (existing == null ? ""
          : " (older keys kept for reading)") + "; restart the workers, then give the CLI the same file");
      return RipcordCli.OK;
    }
  }

  @Command(name = "show", mixinStandardHelpOptions = true, header = "Print a keys file's key ids and current key.")
  static final class Show implements Callable<Integer> {
    @Spec picocli.CommandLine.Model.CommandSpec spec;

    @Option(names = "--file", defaultValue = "${env:RIPCORD_CODEC_KEYS}",
        description = "the keys file (env RIPCORD_CODEC_KEYS)")
    Path file;

    @Option(names = "--output", defaultValue = "text", description = "text or json")
    RipcordCli.Output output;

    @Override
    public Integer call() throws Exception {
      if (file == null) {
        spec.commandLine().getErr().println("ripcord codec show: --file: name the keys file (or set"
            + " RIPCORD_CODEC_KEYS)");
        return RipcordCli.USAGE;
      }
      CodecKeys keys;
      try {
        keys = CodecKeys.load(file);
      } catch (IllegalArgumentException e) {
        spec.commandLine().getErr().println("ripcord codec show: " + e.getMessage());
        return RipcordCli.CHECK_FAILED;
      }
      if (output == RipcordCli.Output.json) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("current", keys.currentId());
        m.put("keys", keys.ids());
        spec.commandLine().getOut().println(RipcordCli.JSON.writeValueAsString(m));
      } else {
        spec.commandLine().getOut().println("current: " + keys.currentId() + "\nkeys:    " + String.join(", ",
            keys.ids()));
      }
      return RipcordCli.OK;
    }
  }
}
