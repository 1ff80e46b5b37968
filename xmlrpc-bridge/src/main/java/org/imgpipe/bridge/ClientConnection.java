package org.imgpipe.bridge;

import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * One client connection to a service port, as its {@link ConnectionGuard} and its request handler share it.
 * When the guard refuses the connection (a bad request head, a head that did not arrive in time), it
 * cannot write the answer itself, since Akka HTTP may be writing the answer of
 * an earlier request; it records the refusal here and feeds Akka HTTP a request for this connection's
 * secret path, which the handler answers with the refusal, in order, before the connection closes.
 */
final class ClientConnection {

  private static final SecureRandom RANDOM = new SecureRandom();

  private final InetSocketAddress remote;
  private final String refusalPath;
  private volatile Refusal refusal;

  /**
   * A connection past a limit when it is opened never gets here: {@link ServiceListener} writes its 503
   * straight away, without an HTTP layer.
   */
  ClientConnection(InetSocketAddress remote) {
    this.remote = remote;
    byte[] secret = new byte[16];
    RANDOM.nextBytes(secret);
    this.refusalPath = "/.imgpipe-refused/" + HexFormat.of().formatHex(secret);
  }

  InetSocketAddress remote() {
    return remote;
  }

  /** The refusal the connection ends with, or null while it is served normally. */
  Refusal refusal() {
    return refusal;
  }

  void refuse(Refusal r) {
    this.refusal = r;
  }

  /** The request the guard feeds Akka HTTP in place of a refused one: its path is known only to this connection. */
  String refusalRequest() {
    return "GET " + refusalPath + " HTTP/1.1\r\nHost: imgpipe\r\nConnection: close\r\n\r\n";
  }

  boolean isRefusalRequest(String path) {
    return refusal != null && refusalPath.equals(path);
  }
}
