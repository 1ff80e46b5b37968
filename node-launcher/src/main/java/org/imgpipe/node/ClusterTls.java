package org.imgpipe.node;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.UnrecoverableKeyException;
import java.security.cert.Certificate;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import org.imgpipe.config.ImgpipeSettings;

/**
 * Cluster TLS as the launcher sees it: the stores checked before the node starts, so that a wrong
 * password or a certificate from another CA is one line instead of a join that never succeeds, and the
 * warning for a node whose cluster port is plain TCP on an address others can reach.
 */
final class ClusterTls {

  private ClusterTls() {}

  /** The node's own certificate: who it says it is and until when. */
  record Identity(String subject, LocalDate notAfter) {
    /** The banner's words: "mutual TLS, CN=resize, until 2027-10-01". */
    String describe() {
      return "mutual TLS, " + subject + ", until " + notAfter;
    }
  }

  /**
   * Loads the key and trust stores as Akka will and checks them: passwords, a private key, a
   * certificate that is valid today and issued by a CA of the trust store, and with hostname
   * verification on, one that names {@code advertisedHost} (the address the other nodes dial).
   *
   * @throws NodeConfigException with one line naming the file and what to do
   */
  static Identity check(ImgpipeSettings.Tls tls, String advertisedHost) {
    KeyStore keys = load("key store", tls.keyStore(), reveal(tls.keyStorePassword()));
    KeyStore trust = load("trust store", tls.trustStore(), reveal(tls.trustStorePassword()));
    X509Certificate own = ownCertificate(keys, tls.keyStore());
    try {
      own.checkValidity();
    } catch (CertificateExpiredException e) {
      throw new NodeConfigException("the certificate in TLS key store " + tls.keyStore() + " expired on "
          + day(own) + "; make a new one (docs/cluster-security.md)");
    } catch (CertificateNotYetValidException e) {
      throw new NodeConfigException("the certificate in TLS key store " + tls.keyStore() + " is not valid before "
          + own.getNotBefore().toInstant() + "; check this machine's clock");
    }
    List<X509Certificate> cas = trustedCertificates(trust, tls.trustStore());
    if (cas.stream().noneMatch(ca -> issuedBy(own, ca))) {
      throw new NodeConfigException("the certificate in TLS key store " + tls.keyStore() + " ("
          + own.getSubjectX500Principal().getName() + ") is not issued by a CA of trust store " + tls.trustStore()
          + " (" + cas.get(0).getSubjectX500Principal().getName() + "); both must come from the same cluster CA"
          + " (docs/cluster-security.md)");
    }
    if (tls.hostnameVerification() && !names(own, advertisedHost)) {
      throw new NodeConfigException("hostname verification is on, but the certificate in TLS key store "
          + tls.keyStore() + " names " + namesOf(own) + ", not this node's address " + advertisedHost
          + ": the other nodes would refuse it. Make it with NAME=" + (isIpLiteral(advertisedHost) ? "ip:" : "dns:")
          + advertisedHost + " (docs/cluster-security.md)");
    }
    return new Identity(own.getSubjectX500Principal().getName(), day(own));
  }

  private static final int SAN_DNS = 2;
  private static final int SAN_IP = 7;

  /**
   * Whether the JDK's HTTPS hostname check, which Akka's hostname verification uses, accepts the
   * certificate for {@code host}: an IP address must be an IP subject alternative name; a name must be
   * a DNS one (a leading "*." matches one label), or the CN when the certificate has no DNS names.
   */
  static boolean names(X509Certificate cert, String host) {
    String h = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    List<List<?>> sans = subjectAltNames(cert);
    if (isIpLiteral(h)) {
      InetAddress want = literal(h);
      return sans.stream().anyMatch(san -> (Integer) san.get(0) == SAN_IP && want.equals(literal((String) san.get(1))));
    }
    List<String> dns = new ArrayList<>();
    for (List<?> san : sans) {
      if ((Integer) san.get(0) == SAN_DNS) {
        dns.add(((String) san.get(1)).toLowerCase(java.util.Locale.ROOT));
      }
    }
    String name = h.toLowerCase(java.util.Locale.ROOT);
    if (dns.isEmpty()) {
      return name.equals(commonName(cert));
    }
    for (String d : dns) {
      if (d.equals(name) || (d.startsWith("*.") && name.indexOf('.') > 0
          && name.substring(name.indexOf('.')).equals(d.substring(1)))) {
        return true;
      }
    }
    return false;
  }

  private static String namesOf(X509Certificate cert) {
    List<String> out = new ArrayList<>();
    for (List<?> san : subjectAltNames(cert)) {
      int type = (Integer) san.get(0);
      if (type == SAN_IP || type == SAN_DNS) {
        out.add((type == SAN_IP ? "ip:" : "dns:") + san.get(1));
      }
    }
    return out.isEmpty() ? "no address (CN=" + commonName(cert) + ")" : String.join(", ", out);
  }

  private static List<List<?>> subjectAltNames(X509Certificate cert) {
    try {
      var all = cert.getSubjectAlternativeNames();
      return all == null ? List.of() : new ArrayList<>(all);
    } catch (java.security.cert.CertificateParsingException e) {
      return List.of();
    }
  }

  private static String commonName(X509Certificate cert) {
    for (String part : cert.getSubjectX500Principal().getName().split(",")) {
      if (part.startsWith("CN=")) {
        return part.substring(3).toLowerCase(java.util.Locale.ROOT);
      }
    }
    return "";
  }

  static boolean isIpLiteral(String host) {
    return host.matches("[0-9.]+") || host.contains(":");
  }

  /** An IP literal without a name lookup. */
  private static InetAddress literal(String ip) {
    try {
      return InetAddress.getByName(ip.startsWith("[") ? ip.substring(1, ip.length() - 1) : ip);
    } catch (UnknownHostException e) {
      return null;
    }
  }

  /**
   * The start-up warning for a node whose cluster port is plain TCP (no TLS) while its host or its
   * advertised address is not a loopback address; empty when TLS is on or everything is loopback.
   */
  static Optional<String> plainTcpWarning(ImgpipeSettings.Node node, String transport) {
    if ("tls-tcp".equals(transport) || (isLoopback(node.host()) && isLoopback(node.advertisedHost()))) {
      return Optional.empty();
    }
    return Optional.of("the cluster port " + node.clusterPort() + " on " + node.host()
        + " is plain TCP without authentication: anyone who reaches it can join the cluster, receive clients'"
        + " images and answer with forged results. Turn on cluster TLS (--tls, docs/cluster-security.md), or"
        + " let a firewall admit only the other nodes to the port.");
  }

  /** A loopback address or a name that resolves only to loopback addresses ("localhost"). */
  static boolean isLoopback(String host) {
    String h = host.trim();
    if (h.startsWith("[") && h.endsWith("]")) {
      h = h.substring(1, h.length() - 1);
    }
    if (h.isEmpty() || NodeOptions.isWildcard(h)) {
      return false;
    }
    try {
      InetAddress[] all = InetAddress.getAllByName(h);
      for (InetAddress a : all) {
        if (!a.isLoopbackAddress()) {
          return false;
        }
      }
      return all.length > 0;
    } catch (UnknownHostException | SecurityException e) {
      return false;
    }
  }

  private static String reveal(ImgpipeSettings.Password password) {
    try {
      return password.reveal();
    } catch (IllegalArgumentException e) {
      throw new NodeConfigException(NodeOptions.oneLine(e.getMessage()), e);
    }
  }

  /** The store as Akka's ConfigSSLEngineProvider loads it: the JVM's default type (PKCS12), the password. */
  private static KeyStore load(String what, String file, String password) {
    Path path = Path.of(file);
    if (!Files.isRegularFile(path)) {
      throw new NodeConfigException("TLS " + what + " " + file + (Files.exists(path) ? " is not a file"
          : " does not exist") + "; make the stores with docker/make-cluster-certs.sh (docs/cluster-security.md)");
    }
    try (InputStream in = Files.newInputStream(path)) {
      KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
      ks.load(in, password.toCharArray());
      return ks;
    } catch (IOException e) {
      if (e.getCause() instanceof UnrecoverableKeyException || String.valueOf(e.getMessage()).contains("password")) {
        throw new NodeConfigException("TLS " + what + " " + file + ": wrong password");
      }
      throw new NodeConfigException("TLS " + what + " " + file + " cannot be read: "
          + NodeOptions.oneLine(String.valueOf(e.getMessage())) + " (it must be a PKCS12 file)", e);
    } catch (GeneralSecurityException e) {
      throw new NodeConfigException("TLS " + what + " " + file + " cannot be read: "
          + NodeOptions.oneLine(String.valueOf(e.getMessage())), e);
    }
  }

  private static X509Certificate ownCertificate(KeyStore keys, String file) {
    try {
      for (String alias : Collections.list(keys.aliases())) {
        if (keys.isKeyEntry(alias)) {
          Certificate[] chain = keys.getCertificateChain(alias);
          if (chain != null && chain.length > 0 && chain[0] instanceof X509Certificate x) {
            return x;
          }
        }
      }
    } catch (GeneralSecurityException e) {
      throw new NodeConfigException("TLS key store " + file + " cannot be read: " + e.getMessage(), e);
    }
    throw new NodeConfigException("TLS key store " + file + " holds no private key with a certificate; it must be a"
        + " node's store, not the trust store (docs/cluster-security.md)");
  }

  private static List<X509Certificate> trustedCertificates(KeyStore trust, String file) {
    List<X509Certificate> out = new ArrayList<>();
    try {
      for (String alias : Collections.list(trust.aliases())) {
        if (trust.isCertificateEntry(alias) && trust.getCertificate(alias) instanceof X509Certificate x) {
          out.add(x);
        }
      }
    } catch (GeneralSecurityException e) {
      throw new NodeConfigException("TLS trust store " + file + " cannot be read: " + e.getMessage(), e);
    }
    if (out.isEmpty()) {
      throw new NodeConfigException("TLS trust store " + file + " holds no CA certificate (docs/cluster-security.md)");
    }
    return out;
  }

  private static boolean issuedBy(X509Certificate cert, X509Certificate ca) {
    if (!cert.getIssuerX500Principal().equals(ca.getSubjectX500Principal())) {
      return false;
    }
    try {
      cert.verify(ca.getPublicKey());
      return true;
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  private static LocalDate day(X509Certificate cert) {
    return LocalDate.ofInstant(cert.getNotAfter().toInstant(), ZoneOffset.UTC);
  }
}
