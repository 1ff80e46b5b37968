package org.imgpipe.panel;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;

/**
 * Where the panel finds the five services: the orchestrator's host:port as typed in the address field,
 * and the port of each other service on that host (the original's fixed ports unless changed).
 */
public record ServiceAddresses(String host, Map<Role, Integer> ports) {

  /** The services in the original's port order, as the panel's indicators show them. */
  public static final List<Role> ORDER =
      List.of(Role.RESIZE, Role.FILTER, Role.WATERMARK, Role.ORCHESTRATOR, Role.FORMAT);

  public ServiceAddresses {
    ports = java.util.Collections.unmodifiableMap(new EnumMap<>(ports));
  }

  /** 127.0.0.1 with reference.conf's ports. */
  public static ServiceAddresses defaults() {
    ImgpipeSettings.Ports p = new ImgpipeSettings(ImgpipeSettings.load()).ports();
    Map<Role, Integer> m = new EnumMap<>(Role.class);
    for (Role r : ORDER) {
      m.put(r, p.of(r));
    }
    return new ServiceAddresses("127.0.0.1", m);
  }

  public int port(Role role) {
    return ports.getOrDefault(role, 0);
  }

  /** "host:port" of the orchestrator, as the address field shows it. */
  public String orchestratorAddress() {
    return (host.contains(":") ? "[" + host + "]" : host) + ":" + port(Role.ORCHESTRATOR);
  }

  /** The same services with the orchestrator at {@code address} ("host", "host:port" or "[v6]:port"). */
  public ServiceAddresses withOrchestrator(String address) {
    String a = address == null ? "" : address.trim();
    String h = a;
    String portText = null;
    if (a.startsWith("[")) {
      int close = a.indexOf(']');
      if (close > 0) {
        h = a.substring(1, close);
        String rest = a.substring(close + 1);
        portText = rest.startsWith(":") ? rest.substring(1) : null;
      }
    } else {
      int colon = a.indexOf(':');
      if (colon >= 0 && colon == a.lastIndexOf(':')) {
        h = a.substring(0, colon);
        portText = a.substring(colon + 1);
      }
    }
    Map<Role, Integer> m = new EnumMap<>(ports);
    if (portText != null) {
      m.put(Role.ORCHESTRATOR, parsePort(portText));
    }
    return new ServiceAddresses(h, m);
  }

  public ServiceAddresses withPort(Role role, int port) {
    Map<Role, Integer> m = new EnumMap<>(ports);
    m.put(role, port);
    return new ServiceAddresses(host, m);
  }

  private static Integer parsePort(String s) {
    try {
      return Integer.parseInt(s.trim());
    } catch (NumberFormatException e) {
      return -1;
    }
  }

  public List<String> problems() {
    List<String> p = new ArrayList<>();
    if (host == null || host.isBlank() || host.contains(" ")) {
      p.add("Type the orchestrator's address as host:port, for example localhost:50055.");
    }
    for (Role r : ORDER) {
      int port = port(r);
      if (port < 1 || port > 65535) {
        p.add("The " + label(r) + " port must be a number from 1 to 65535.");
      }
    }
    return p;
  }

  /** "Resize", "Orchestrator", ... */
  public static String label(Role r) {
    String n = r.configName();
    return Character.toUpperCase(n.charAt(0)) + n.substring(1);
  }
}
