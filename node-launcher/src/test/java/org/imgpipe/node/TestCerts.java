package org.imgpipe.node;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Cluster certificates made at test time by the users' own tool, docker/make-cluster-certs.sh, with the
 * test JVM's keytool. Made once per JVM: {@link #cluster()} (a CA with nodes "a" and "b") and
 * {@link #otherCa()} (an unrelated CA with node "x").
 */
final class TestCerts {

  static final Path SCRIPT = Path.of("..", "docker", "make-cluster-certs.sh");

  private static Path cluster;
  private static Path otherCa;

  private TestCerts() {}

  static synchronized Path cluster() {
    if (cluster == null) {
      cluster = make("cluster", "a=ip:127.0.0.51", "b=ip:127.0.0.52");
    }
    return cluster;
  }

  static synchronized Path otherCa() {
    if (otherCa == null) {
      otherCa = make("other-ca", "x");
    }
    return otherCa;
  }

  static String keytool() {
    return Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
  }

  /** Runs the script into a new folder under target/ and returns the folder. */
  static Path make(String prefix, String... nodes) {
    try {
      Files.createDirectories(Path.of("target"));
      Path dir = Files.createTempDirectory(Path.of("target"), "test-certs-" + prefix + "-");
      List<String> cmd = new ArrayList<>(List.of("bash", SCRIPT.toString(), "--dir", dir.toString()));
      cmd.addAll(List.of(nodes));
      run(cmd);
      return dir;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Runs a command with the test JVM's keytool as KEYTOOL; fails with its output unless it exits 0 in time. */
  static String run(List<String> cmd) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
      pb.environment().put("KEYTOOL", keytool());
      Process p = pb.start();
      // Each keytool call is a JVM start; a loaded 2-core machine needs a few seconds for each.
      if (!p.waitFor(300, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(String.join(" ", cmd) + " did not finish within 300 s");
      }
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", cmd) + " exited with " + p.exitValue() + ":\n" + out);
      }
      return out;
    } catch (IOException e) {
      throw new IllegalStateException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  static String password(Path dir, String name) {
    try {
      return Files.readAllLines(dir.resolve(name + ".password")).get(0);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Options for a node with cluster TLS from {@code dir}: its key store {@code name}.p12, the trust store. */
  static NodeOptions.Builder tls(NodeOptions.Builder b, Path dir, String name) {
    return b.tls(true)
        .tlsKeyStore(dir.resolve(name + ".p12"))
        .tlsKeyStorePasswordFile(dir.resolve(name + ".password"))
        .tlsTrustStore(dir.resolve("truststore.p12"))
        .tlsTrustStorePasswordFile(dir.resolve("truststore.password"));
  }
}
