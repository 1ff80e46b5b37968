package org.imgpipe.cli;

import java.net.InetAddress;
import java.net.UnknownHostException;
import picocli.CommandLine;

/** A service address, host:port. Written as "host", "host:port", "[v6]:port" or "http://host:port/RPC2". */
public record Endpoint(String host, int port) {

  /** Parses {@code text}; a missing port is {@code defaultPort}. */
  public static Endpoint parse(String text, int defaultPort) {
    String t = text.trim();
    if (t.startsWith("http://")) {
      t = t.substring("http://".length());
      int slash = t.indexOf('/');
      if (slash >= 0) {
        t = t.substring(0, slash);
      }
    }
    if (t.isEmpty()) {
      throw new CliException("empty address");
    }
    String host = t;
    int port = defaultPort;
    if (t.startsWith("[")) {
      int close = t.indexOf(']');
      if (close < 0) {
        throw new CliException("address '" + text + "' has an unclosed [");
      }
      host = t.substring(1, close);
      if (close + 1 < t.length()) {
        port = port(text, t.substring(close + 1).replaceFirst("^:", ""));
      }
    } else if (t.indexOf(':') >= 0 && t.indexOf(':') == t.lastIndexOf(':')) {
      host = t.substring(0, t.indexOf(':'));
      port = port(text, t.substring(t.indexOf(':') + 1));
    }
    if (host.isEmpty()) {
      throw new CliException("address '" + text + "' has no host");
    }
    return new Endpoint(host, port);
  }

  private static int port(String text, String p) {
    try {
      int port = Integer.parseInt(p);
      if (port < 1 || port > 65535) {
        throw new NumberFormatException();
      }
      return port;
    } catch (NumberFormatException e) {
      throw new CliException("address '" + text + "': '" + p + "' is not a port (1-65535)");
    }
  }

  /** This endpoint, with {@code port} when none was given. */
  public Endpoint orPort(int port) {
    return this.port == 0 ? new Endpoint(host, port) : this;
  }

  /** Whether the host is this machine's loopback (where the demo may start its own node). */
  public boolean isLoopback() {
    if (host.equalsIgnoreCase("localhost")) {
      return true;
    }
    try {
      return InetAddress.getByName(host).isLoopbackAddress();
    } catch (UnknownHostException e) {
      return false;
    }
  }

  @Override
  public String toString() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
  }

  /** picocli converter for endpoints whose port defaults to 0 (filled in later by the command). */
  public static final class Converter implements CommandLine.ITypeConverter<Endpoint> {
    @Override
    public Endpoint convert(String value) {
      try {
        return parse(value, 0);
      } catch (CliException e) {
        throw new CommandLine.TypeConversionException(e.getMessage());
      }
    }
  }
}
