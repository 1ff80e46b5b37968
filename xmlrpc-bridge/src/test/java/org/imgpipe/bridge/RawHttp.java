package org.imgpipe.bridge;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;

/**
 * HTTP/1.1 over a plain socket, for tests that send what no HTTP client would: heads dribbled a byte at a
 * time, lying or conflicting framing headers, bodies that never come, connections from a chosen loopback
 * address. Every read has a deadline.
 */
final class RawHttp implements AutoCloseable {

  /** One answer as read: the status, the head's text and the body. */
  record Answer(int status, String head, byte[] body, long millis) {
    String text() {
      return new String(body, StandardCharsets.UTF_8);
    }
  }

  private final Socket socket;
  private final OutputStream out;
  private final InputStream in;

  /** A connection to {@code host:port} from the loopback address {@code from} (any 127.x.y.z). */
  RawHttp(String host, int port, String from) throws IOException {
    socket = new Socket();
    socket.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
    socket.connect(new InetSocketAddress(host, port), 5000);
    socket.setSoTimeout(10_000);
    out = socket.getOutputStream();
    in = socket.getInputStream();
  }

  static String post(String path, int contentLength, String... headers) {
    StringBuilder b = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: imgpipe\r\nContent-Type: text/xml\r\n");
    if (contentLength >= 0) {
      b.append("Content-Length: ").append(contentLength).append("\r\n");
    }
    for (String h : headers) {
      b.append(h).append("\r\n");
    }
    return b.append("\r\n").toString();
  }

  RawHttp send(String text) throws IOException {
    return send(text.getBytes(StandardCharsets.ISO_8859_1));
  }

  RawHttp send(byte[] bytes) throws IOException {
    out.write(bytes);
    out.flush();
    return this;
  }

  /** Reads one answer (its body by Content-Length), waiting at most {@code max}. */
  Answer read(Duration max) throws IOException {
    long start = System.nanoTime();
    socket.setSoTimeout((int) Math.max(1, max.toMillis()));
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int last4 = 0;
    while (last4 != 0x0d0a0d0a) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("the connection closed before an answer; read: " + head.toString(StandardCharsets.ISO_8859_1));
      }
      head.write(b);
      last4 = (last4 << 8) | b;
    }
    String text = head.toString(StandardCharsets.ISO_8859_1);
    int status = Integer.parseInt(text.substring(9, 12));
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return new Answer(status, text, body, (System.nanoTime() - start) / 1_000_000);
  }

  /** Whether the server closes the connection (end of stream or a reset) within {@code max}, reading nothing else. */
  boolean closedWithin(Duration max) throws IOException {
    socket.setSoTimeout((int) Math.max(1, max.toMillis()));
    try {
      int b = in.read();
      if (b >= 0) {
        throw new IllegalStateException("more bytes after the answer: " + (char) b
            + new String(in.readNBytes(Math.min(200, in.available())), StandardCharsets.ISO_8859_1));
      }
      return true;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (java.net.SocketException e) {
      return true; // reset
    }
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
