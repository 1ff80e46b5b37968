package org.imgpipe.bridge;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Checks a request's line and headers as they came off the wire, before Akka HTTP parses them, and says
 * how the body that follows is framed. Akka HTTP 10.5.3 reads {@code Content-Length: 18446744073709551620}
 * as 4 (the number wraps), so a proxy and imgpipe could disagree on where a request ends and a second,
 * smuggled request begins; every framing header that is not plain and unambiguous is refused here.
 */
final class RequestHead {

  /** How the body after a head is framed. */
  sealed interface Framing {}

  /** No body (no Content-Length, no Transfer-Encoding). */
  record NoBody() implements Framing {}

  /** A body of exactly {@code bytes} bytes. */
  record Length(long bytes) implements Framing {}

  /** A chunked body. */
  record Chunked() implements Framing {}

  /** The head is acceptable; the body is framed so. */
  record Accepted(Framing framing) {}

  private RequestHead() {}

  /**
   * Checks a head: the bytes from the request line up to and including the empty line that ends the
   * headers. Answers how the body is framed, or throws a {@link Refusal} that names the problem.
   */
  static Accepted check(byte[] head) {
    String text = new String(head, StandardCharsets.ISO_8859_1);
    if (!text.endsWith("\r\n\r\n")) {
      throw Refusal.badRequest("the request head does not end with an empty line");
    }
    String[] lines = text.substring(0, text.length() - 4).split("\r\n", -1);
    for (String line : lines) {
      if (line.indexOf('\n') >= 0 || line.indexOf('\r') >= 0) {
        throw Refusal.badRequest("a line of the request head ends with a bare CR or LF; lines end with CRLF");
      }
    }
    boolean http10 = lines[0].endsWith(" HTTP/1.0");
    String contentLength = null;
    String transferEncoding = null;
    for (int i = 1; i < lines.length; i++) {
      String line = lines[i];
      if (line.isEmpty() || line.charAt(0) == ' ' || line.charAt(0) == '\t') {
        throw Refusal.badRequest("folded header lines are not accepted");
      }
      int colon = line.indexOf(':');
      if (colon <= 0 || !token(line, colon)) {
        throw Refusal.badRequest("a header line is not 'name: value'");
      }
      String name = line.substring(0, colon).toLowerCase(Locale.ROOT);
      String value = line.substring(colon + 1).strip();
      if (name.equals("content-length")) {
        if (contentLength != null) {
          throw Refusal.badRequest("more than one Content-Length header");
        }
        contentLength = value;
      } else if (name.equals("transfer-encoding")) {
        if (transferEncoding != null) {
          throw Refusal.badRequest("more than one Transfer-Encoding header");
        }
        transferEncoding = value;
      }
    }
    if (contentLength != null && transferEncoding != null) {
      throw Refusal.badRequest("Content-Length and Transfer-Encoding together");
    }
    if (transferEncoding != null) {
      if (http10) {
        throw Refusal.badRequest("Transfer-Encoding in an HTTP/1.0 request");
      }
      if (!transferEncoding.equalsIgnoreCase("chunked")) {
        throw Refusal.notImplemented("Transfer-Encoding " + shortened(transferEncoding)
            + " is not supported; send chunked or a Content-Length");
      }
      return new Accepted(new Chunked());
    }
    if (contentLength != null) {
      return new Accepted(new Length(length(contentLength)));
    }
    return new Accepted(new NoBody());
  }

  /** A Content-Length: 1 to 18 decimal digits (up to 10^18 - 1 bytes, far beyond any limit), nothing else. */
  private static long length(String value) {
    if (value.isEmpty() || value.length() > 18) {
      throw Refusal.badRequest("Content-Length " + shortened(value) + " is not a number of bytes");
    }
    long n = 0;
    for (int i = 0; i < value.length(); i++) {
      char c = value.charAt(i);
      if (c < '0' || c > '9') {
        throw Refusal.badRequest("Content-Length " + shortened(value) + " is not a number of bytes");
      }
      n = n * 10 + (c - '0');
    }
    return n;
  }

  /** Whether line[0, end) is an HTTP token (a header name: no blanks, no separators). */
  private static boolean token(String line, int end) {
    for (int i = 0; i < end; i++) {
      char c = line.charAt(i);
      if (c <= ' ' || c >= 0x7F || "()<>@,;:\\\"/[]?={}".indexOf(c) >= 0) {
        return false;
      }
    }
    return true;
  }

  private static String shortened(String value) {
    String v = value.length() > 40 ? value.substring(0, 40) + "..." : value;
    StringBuilder b = new StringBuilder(v.length() + 2).append('\'');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      b.append(c >= ' ' && c < 0x7F ? c : '?');
    }
    return b.append('\'').toString();
  }
}
