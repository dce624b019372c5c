package dev.ripcord.starter.login;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * Where {@code ripcord login} keeps a person's sign-in, per issuer: the refresh token (never an access token: each
 * decision needs a fresh one, and a token counts once), the client and the person it names. One file,
 * {@code logins.json}, readable by its owner only, in {@code RIPCORD_CONFIG_DIR} or {@code ~/.config/ripcord}.
 */
public final class LoginStore {
  public static final String ENV = "RIPCORD_CONFIG_DIR";
  private static final ObjectMapper JSON = new ObjectMapper();
  private final Path file;

  /** One issuer's sign-in. */
  public record Login(String issuer, String clientId, String refreshToken, String person, String signedInAt) {}

  public LoginStore(Path dir) {
    this.file = dir.resolve("logins.json");
  }

  /** The store of this user ({@code RIPCORD_CONFIG_DIR}, else {@code $XDG_CONFIG_HOME/ripcord}, else ~/.config). */
  public static LoginStore ofUser() {
    String dir = System.getenv(ENV);
    if (dir == null || dir.isBlank()) {
      String xdg = System.getenv("XDG_CONFIG_HOME");
      dir = (xdg == null || xdg.isBlank() ? Path.of(System.getProperty("user.home"), ".config")
          : Path.of(xdg)).resolve("ripcord").toString();
    }
    return new LoginStore(Path.of(dir));
  }

  public Path file() {
    return file;
  }

  public Optional<Login> get(String issuer) throws IOException {
    ObjectNode all = read();
    return all.has(key(issuer)) ? Optional.of(JSON.treeToValue(all.get(key(issuer)), Login.class)) : Optional.empty();
  }

  public void put(Login login) throws IOException {
    ObjectNode all = read();
    all.set(key(login.issuer()), JSON.valueToTree(login));
    write(all);
  }

  /** Forgets the sign-in at {@code issuer}; false when there was none. */
  public boolean remove(String issuer) throws IOException {
    ObjectNode all = read();
    boolean had = all.remove(key(issuer)) != null;
    if (had) {
      write(all);
    }
    return had;
  }

  private static String key(String issuer) {
    return issuer.replaceAll("/+$", "");
  }

  private ObjectNode read() throws IOException {
    return Files.isRegularFile(file) ? (ObjectNode) JSON.readTree(file.toFile()) : JSON.createObjectNode();
  }

  private void write(ObjectNode all) throws IOException {
    Files.createDirectories(file.getParent());
    Path tmp = Files.createTempFile(file.getParent(), ".logins", ".tmp");
    try {
      Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: the directory's own access rules apply
    }
    JSON.writerWithDefaultPrettyPrinter().writeValue(tmp.toFile(), all);
    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
  }
}
