package org.imgpipe.panel;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.xmlrpc.client.ImgpipeClient;
import org.imgpipe.xmlrpc.client.XmlRpcFault;

/**
 * Checks whether each service answers: an XML-RPC call (system.listMethods) per service port, and the
 * orchestrator port's GET /ready for the node's health. Blocking; the controller runs it off the event
 * thread, every check bounded by {@code timeout}.
 */
public final class ServiceProbe {

  /** What one indicator shows. */
  public enum Level { UNKNOWN, CHECKING, UP, WARN, DOWN }

  /** One indicator's state and the sentence its tooltip shows. */
  public record Status(Level level, String detail) {
    public static final Status UNKNOWN = new Status(Level.UNKNOWN, "not checked yet");
    public static final Status CHECKING = new Status(Level.CHECKING, "checking...");
  }

  /** The indicator names: the five services, then the node's health. */
  public static final String HEALTH = "Health";

  public static List<String> indicatorNames() {
    List<String> names = new java.util.ArrayList<>();
    for (Role r : ServiceAddresses.ORDER) {
      names.add(ServiceAddresses.label(r));
    }
    names.add(HEALTH);
    return names;
  }

  private final Duration timeout;

  public ServiceProbe(Duration timeout) {
    this.timeout = timeout;
  }

  /** One service: UP when it answers XML-RPC (a fault counts: something imgpipe-like is listening). */
  public Status service(String host, int port) {
    ImgpipeClient client;
    try {
      client = new ImgpipeClient(host, port, timeout);
    } catch (IllegalArgumentException e) {
      return new Status(Level.DOWN, e.getMessage());
    }
    long t0 = System.nanoTime();
    try {
      List<String> methods = client.listMethods();
      long ms = (System.nanoTime() - t0) / 1_000_000;
      return new Status(Level.UP, host + ":" + port + " answers (" + methods.size() + " methods, " + ms + " ms)");
    } catch (XmlRpcFault f) {
      return new Status(Level.UP, host + ":" + port + " answers (no introspection: " + f.getMessage() + ")");
    } catch (IOException | RuntimeException e) {
      return new Status(Level.DOWN, host + ":" + port + " does not answer: " + rootMessage(e));
    }
  }

  /** GET /ready on the orchestrator port: UP when ready, WARN when up but not ready, DOWN otherwise. */
  public Status health(String host, int port) {
    String h = host.contains(":") ? "[" + host + "]" : host;
    HttpURLConnection c = null;
    try {
      c = (HttpURLConnection) new URL("http://" + h + ":" + port + "/ready").openConnection();
      int ms = (int) Math.max(1, timeout.toMillis());
      c.setConnectTimeout(ms);
      c.setReadTimeout(ms);
      int code = c.getResponseCode();
      InputStream in = code < 400 ? c.getInputStream() : c.getErrorStream();
      String body = in == null ? "" : new String(in.readNBytes(500), StandardCharsets.UTF_8).trim();
      if (code == 200) {
        return new Status(Level.UP, "node ready: " + body);
      }
      if (code == 404) {
        return new Status(Level.WARN, "no /ready endpoint (not an imgpipe node?)");
      }
      return new Status(Level.WARN, "HTTP " + code + ": " + body);
    } catch (IOException | RuntimeException e) {
      return new Status(Level.DOWN, "health check failed: " + rootMessage(e));
    } finally {
      if (c != null) {
        c.disconnect();
      }
    }
  }

  /** Every indicator, checked one after the other (each bounded by the timeout). */
  public Map<String, Status> all(ServiceAddresses services) {
    Map<String, Status> out = new LinkedHashMap<>();
    for (Role r : ServiceAddresses.ORDER) {
      out.put(ServiceAddresses.label(r), service(services.host(), services.port(r)));
    }
    out.put(HEALTH, health(services.host(), services.port(Role.ORCHESTRATOR)));
    return out;
  }

  static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null && t.getCause() != t) {
      t = t.getCause();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
  }
}
