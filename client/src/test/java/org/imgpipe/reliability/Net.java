package org.imgpipe.reliability;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.imgpipe.config.ImgpipeSettings.Role;

/**
 * Loopback addresses and ports of the reliability tests.
 *
 * <p>Each node gets its own loopback address. By default they are 127.A.B.1, 127.A.B.2, ... with A.B taken
 * from this JVM's pid, so that two test runs on one machine (several engineers run {@code mvn verify} at
 * once) do not meet. {@code -Dimgpipe.reliability.hosts=127.0.0.1,127.0.0.2,127.0.0.3} names them
 * explicitly (the documented three-node layout of issue 7).
 *
 * <p>Each node uses the documented ports (services 50052-50056, cluster 25520) when they are all free on its
 * address, else ports the OS picks; {@code -Dimgpipe.reliability.ports=free} always picks free ports.
 */
final class Net {

  static final int DOCUMENTED_CLUSTER_PORT = 25520;
  static final Map<Role, Integer> DOCUMENTED_PORTS = Map.of(Role.RESIZE, 50052, Role.FILTER, 50053,
      Role.WATERMARK, 50054, Role.ORCHESTRATOR, 50055, Role.FORMAT, 50056);

  private Net() {}

  /** The address of node {@code n} (1-based). */
  static String host(int n) {
    String explicit = System.getProperty("imgpipe.reliability.hosts", "").trim();
    if (!explicit.isEmpty()) {
      String[] hosts = explicit.split(",");
      if (n <= hosts.length) {
        return hosts[n - 1].trim();
      }
      throw new IllegalArgumentException("imgpipe.reliability.hosts names " + hosts.length + " hosts; node " + n
          + " needs more");
    }
    long pid = ProcessHandle.current().pid();
    int a = 100 + (int) (pid % 100);
    int b = 1 + (int) ((pid / 100) % 250);
    return "127." + a + "." + b + "." + n;
  }

  /** The ports of one node: cluster port and the five service ports. */
  record NodePorts(int cluster, Map<Role, Integer> services) {
    int of(Role r) {
      return services.get(r);
    }
  }

  /** Documented ports if all are free on {@code host} (and not refused by configuration), else free ones. */
  static NodePorts ports(String host) {
    boolean documented = !"free".equals(System.getProperty("imgpipe.reliability.ports", "documented"));
    if (documented && isFree(host, DOCUMENTED_CLUSTER_PORT)
        && DOCUMENTED_PORTS.values().stream().allMatch(p -> isFree(host, p))) {
      return new NodePorts(DOCUMENTED_CLUSTER_PORT, new EnumMap<>(DOCUMENTED_PORTS));
    }
    List<Integer> picked = freePorts(host, 6);
    Map<Role, Integer> services = new EnumMap<>(Role.class);
    services.put(Role.RESIZE, picked.get(1));
    services.put(Role.FILTER, picked.get(2));
    services.put(Role.WATERMARK, picked.get(3));
    services.put(Role.ORCHESTRATOR, picked.get(4));
    services.put(Role.FORMAT, picked.get(5));
    return new NodePorts(picked.get(0), services);
  }

  static boolean isFree(String host, int port) {
    try (ServerSocket s = new ServerSocket()) {
      s.setReuseAddress(true);
      s.bind(new InetSocketAddress(host, port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** {@code n} distinct ports the OS picks on {@code host}, all held open until all are known. */
  static List<Integer> freePorts(String host, int n) {
    List<ServerSocket> open = new ArrayList<>();
    try {
      List<Integer> ports = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(host));
        open.add(s);
        ports.add(s.getLocalPort());
      }
      return ports;
    } catch (IOException e) {
      throw new IllegalStateException("cannot open a port on " + host + ": " + e.getMessage(), e);
    } finally {
      for (ServerSocket s : open) {
        try {
          s.close();
        } catch (IOException ignored) {
          // closing a listening socket
        }
      }
    }
  }
}
