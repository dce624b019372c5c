package dev.ripcord.integration;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real HAProxy terminating TLS in front of one plain HTTP server on loopback, as an ingress does in front of the
 * worker: the Temporal UI hands a signed-in person's token only to an {@code https://} codec endpoint. The server
 * certificate (for 127.0.0.1, from a test CA) is pinned by browsers through {@link #spkiPin()}.
 */
public final class HttpsFront implements AutoCloseable {
  public final int port = Components.freePort();
  private final Proc proc;
  private final String pin;

  public HttpsFront(Path dir, int backendPort) throws Exception {
    TlsProxy.Certificates certs = TlsProxy.certificates(dir);
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = Files.newInputStream(certs.serverKeyStore())) {
      ks.load(in, TlsProxy.PASSWORD);
    }
    PrivateKey key = (PrivateKey) ks.getKey("server", TlsProxy.PASSWORD);
    Certificate cert = ks.getCertificate("server");
    Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes());
    Path bundle = dir.resolve("front.pem");
    Files.writeString(bundle, "-----BEGIN CERTIFICATE-----\n" + pem.encodeToString(cert.getEncoded())
        + "\n-----END CERTIFICATE-----\n" + Files.readString(certs.caPem()) + "-----BEGIN PRIVATE KEY-----\n"
        + pem.encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    pin = Base64.getEncoder().encodeToString(MessageDigest.getInstance("SHA-256")
        .digest(cert.getPublicKey().getEncoded()));
    Path cfg = dir.resolve("haproxy-front.cfg");
    Files.writeString(cfg, String.join("\n",
        "global", "  maxconn 256", "defaults", "  mode http", "  timeout connect 5s", "  timeout client 60s",
        "  timeout server 60s", "frontend https", "  bind 127.0.0.1:" + port + " ssl crt " + bundle,
        "  default_backend plain", "backend plain", "  server only 127.0.0.1:" + backendPort, ""));
    proc = Proc.start("haproxy-tls", List.of(Components.haproxy().toString(), "-db", "-f", cfg.toString()),
        Map.of());
    proc.awaitUntil("HAProxy listening on " + port, Duration.ofSeconds(20), () -> {
      try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
        return true;
      } catch (java.io.IOException e) {
        return false;
      }
    });
  }

  public String url() {
    return "https://127.0.0.1:" + port;
  }

  /** The server key's SPKI digest, for Chromium's {@code --ignore-certificate-errors-spki-list}. */
  public String spkiPin() {
    return pin;
  }

  @Override
  public void close() {
    proc.stop();
  }
}
