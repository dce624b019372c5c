package dev.ripcord.integration;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * A TLS front for the dev server (which speaks only plaintext): terminates TLS with ALPN h2, requires a client
 * certificate signed by the test CA (mutual TLS), and pipes the bytes to the dev server's gRPC port. The same shape as
 * a Temporal frontend configured for mTLS, so the CLI's and the worker's TLS settings meet a real handshake.
 */
public final class TlsProxy implements AutoCloseable {
  static final char[] PASSWORD = "changeit".toCharArray();

  /** The files a test hands to clients: the CA to trust, and a client certificate and key (PEM, PKCS#8). */
  public record Certificates(Path dir, Path caPem, Path caTrustStore, Path clientCertPem, Path clientKeyPem,
      Path serverKeyStore, Path clientKeyStore) {}

  private final java.util.concurrent.atomic.AtomicInteger handshakes = new java.util.concurrent.atomic.AtomicInteger();
  private final java.util.concurrent.atomic.AtomicInteger refused = new java.util.concurrent.atomic.AtomicInteger();
  private final SSLServerSocket socket;
  private final Thread acceptor;
  public final int port;

  /** A CA, a server certificate for 127.0.0.1/localhost and a client certificate, made with the JDK's keytool. */
  public static Certificates certificates(Path dir) throws Exception {
    Files.createDirectories(dir);
    Path ca = dir.resolve("ca.p12");
    Path server = dir.resolve("server.p12");
    Path client = dir.resolve("client.p12");
    for (Path p : List.of(ca, server, client)) {
      Files.deleteIfExists(p);
    }
    keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=ripcord-test-ca",
        "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString());
    Path caPem = dir.resolve("ca.pem");
    Files.writeString(caPem, keytoolOut("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString()));
    Path caTrust = dir.resolve("ca-truststore.p12");
    Files.deleteIfExists(caTrust);
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", caTrust.toString());
    signed(dir, server, ca, "server", "CN=localhost", "san=ip:127.0.0.1,dns:localhost", caPem);
    signed(dir, client, ca, "client", "CN=ripcord-cli", null, caPem);
    Path clientCert = dir.resolve("client-cert.pem");
    Files.writeString(clientCert, keytoolOut("-exportcert", "-rfc", "-alias", "client", "-keystore",
        client.toString()));
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(client.toFile())) {
      ks.load(in, PASSWORD);
    }
    PrivateKey key = (PrivateKey) ks.getKey("client", PASSWORD);
    Path clientKey = dir.resolve("client-key.pem");
    Files.writeString(clientKey, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
    return new Certificates(dir, caPem, caTrust, clientCert, clientKey, server, client);
  }

  private static void signed(Path dir, Path store, Path ca, String alias, String dname, String san, Path caPem)
      throws Exception {
    keytool("-genkeypair", "-alias", alias, "-keyalg", "RSA", "-keysize", "2048", "-dname", dname, "-validity", "2",
        "-keystore", store.toString());
    Path csr = dir.resolve(alias + ".csr");
    keytool("-certreq", "-alias", alias, "-keystore", store.toString(), "-file", csr.toString());
    Path crt = dir.resolve(alias + ".crt");
    List<String> gencert = new java.util.ArrayList<>(List.of("-gencert", "-alias", "ca", "-keystore", ca.toString(),
        "-infile", csr.toString(), "-outfile", crt.toString(), "-rfc", "-validity", "2"));
    if (san != null) {
      gencert.addAll(List.of("-ext", san));
    }
    keytool(gencert.toArray(String[]::new));
    keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", store.toString());
    keytool("-importcert", "-noprompt", "-alias", alias, "-file", crt.toString(), "-keystore", store.toString());
  }

  private static void keytool(String... args) throws Exception {
    keytoolOut(args);
  }

  private static String keytoolOut(String... args) throws Exception {
    Path java = Path.of(ProcessHandle.current().info().command().orElseThrow());
    List<String> cmd = new java.util.ArrayList<>(List.of(java.resolveSibling("keytool").toString()));
    cmd.addAll(List.of(args));
    cmd.addAll(List.of("-storepass", new String(PASSWORD), "-storetype", "PKCS12"));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    if (p.waitFor() != 0) {
      throw new IllegalStateException("keytool " + String.join(" ", args) + " failed:\n" + out);
    }
    return out;
  }

  /** Listens on a free loopback port, requiring client certificates signed by the CA in {@code certs}. */
  public TlsProxy(Certificates certs, String targetHost, int targetPort) throws Exception {
    KeyStore serverKeys = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(certs.serverKeyStore().toFile())) {
      serverKeys.load(in, PASSWORD);
    }
    serverKeys.deleteEntry("ca"); // the key entry "server" carries its chain; the CA entry would be a second key
    KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
    kmf.init(serverKeys, PASSWORD);
    KeyStore trust = KeyStore.getInstance("PKCS12");
    try (InputStream in = new FileInputStream(certs.caTrustStore().toFile())) {
      trust.load(in, PASSWORD);
    }
    TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    tmf.init(trust);
    SSLContext ctx = SSLContext.getInstance("TLSv1.3");
    ctx.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
    socket = (SSLServerSocket) ctx.getServerSocketFactory().createServerSocket(0, 50,
        InetAddress.getLoopbackAddress());
    SSLParameters params = socket.getSSLParameters();
    params.setApplicationProtocols(new String[] {"h2"});
    params.setNeedClientAuth(true);
    socket.setSSLParameters(params);
    port = socket.getLocalPort();
    acceptor = new Thread(() -> {
      while (!socket.isClosed()) {
        try {
          SSLSocket in = (SSLSocket) socket.accept();
          daemon(() -> pipe(in, targetHost, targetPort));
        } catch (IOException e) {
          return;
        }
      }
    }, "tls-proxy");
    acceptor.setDaemon(true);
    acceptor.start();
  }

  public String address() {
    return "127.0.0.1:" + port;
  }

  /** Connections whose client presented a certificate the CA signed. */
  public int handshakes() {
    return handshakes.get();
  }

  /** Connections refused during the handshake (no client certificate, or an untrusted one). */
  public int refused() {
    return refused.get();
  }

  private void pipe(SSLSocket in, String host, int port) {
    try {
      in.startHandshake();
      handshakes.incrementAndGet();
    } catch (IOException e) {
      refused.incrementAndGet();
      try {
        in.close();
      } catch (IOException ignored) {
        // closing
      }
      return;
    }
    try (in; Socket out = new Socket(host, port)) {
      Thread back = daemon(() -> copy(out, in));
      copy(in, out);
      back.join();
    } catch (Exception e) {
      // a refused handshake (no or wrong client certificate) ends here, as on a real mTLS frontend
    }
  }

  private static Thread daemon(Runnable r) {
    Thread t = new Thread(r, "tls-proxy-pipe");
    t.setDaemon(true);
    t.start();
    return t;
  }

  private static void copy(Socket from, Socket to) {
    try {
      InputStream i = from.getInputStream();
      OutputStream o = to.getOutputStream();
      byte[] buf = new byte[16384];
      for (int n; (n = i.read(buf)) > 0; ) {
        o.write(buf, 0, n);
        o.flush();
      }
    } catch (IOException ignored) {
      // either side closed
    } finally {
      try {
        to.shutdownOutput();
      } catch (IOException | UnsupportedOperationException ignored) {
        // SSLSocket cannot half-close; closing happens with the pair
      }
    }
  }

  @Override
  public void close() {
    try {
      socket.close();
    } catch (IOException ignored) {
      // closing
    }
  }
}
