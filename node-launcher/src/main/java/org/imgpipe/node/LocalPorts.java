package org.imgpipe.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import org.imgpipe.config.ImgpipeSettings;

/**
 * Free ports on a local address, for nodes that must not take the default ports (the demo's embedded
 * node beside another orchestrator port, tests running side by side). Unlike port 0, a port chosen here
 * is known before the node starts, so host_map and seed-node lists can name it.
 */
public final class LocalPorts {

  private LocalPorts() {}

  /** A port nothing listens on right now at {@code host}. */
  public static int free(String host) {
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, 0));
      return s.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot find a free port on " + host, e);
    }
  }

  /** Five free service ports on {@code host}. */
  public static ImgpipeSettings.Ports freeServicePorts(String host) {
    return new ImgpipeSettings.Ports(free(host), free(host), free(host), free(host), free(host));
  }
}
