package org.imgpipe.cli;

import ch.qos.logback.classic.Level;
import java.io.PrintWriter;
import java.util.List;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.node.ImgpipeNode;
import org.imgpipe.node.LocalPorts;
import org.imgpipe.node.NodeConfigException;
import org.imgpipe.node.NodeOptions;
import org.slf4j.LoggerFactory;

/**
 * The all-roles node the demo starts in its own JVM when nothing answers on a loopback orchestrator
 * address, and stops after the batch. On the default orchestrator port it opens the default ports of
 * every service (so other clients can use it meanwhile); on another port, only that port is fixed and
 * the other services take free ones. Its cluster port is always a free one: nobody joins it.
 */
final class EmbeddedNode {

  private EmbeddedNode() {}

  static ImgpipeNode start(Endpoint orchestrator, boolean verbose, PrintWriter out) {
    String host = orchestrator.host().equalsIgnoreCase("localhost") ? "127.0.0.1" : orchestrator.host();
    boolean defaults = orchestrator.port() == Defaults.port(Role.ORCHESTRATOR);
    if (!verbose) {
      quiet("akka");
      quiet("org.imgpipe");
    }
    out.println("Nothing answers on " + orchestrator + ": starting an embedded all-roles node for this run ...");
    out.flush();
    // Free ports chosen here can be taken by someone else before the node binds them: try fresh ones.
    for (int attempt = 1; ; attempt++) {
      NodeOptions.Builder b = NodeOptions.builder().roles(List.of("all")).host(host).clusterPort(0)
          .seedNodes(List.of());
      for (Role r : Role.values()) {
        b.port(r, r == Role.ORCHESTRATOR ? orchestrator.port() : defaults ? Defaults.port(r) : LocalPorts.free(host));
      }
      try {
        ImgpipeNode node = ImgpipeNode.start(b.build());
        StringBuilder ports = new StringBuilder();
        node.openPorts().forEach((role, port) -> ports.append(ports.length() == 0 ? "" : ", ")
            .append(role.configName()).append(' ').append(port));
        out.println("Embedded node up on " + host + " (" + ports + ").");
        out.flush();
        return node;
      } catch (NodeConfigException e) {
        boolean raced = !defaults && attempt < 3 && e.getMessage().contains("in use")
            && !e.getMessage().contains("port " + orchestrator.port() + " ");
        if (!raced) {
          throw new CliException("could not start the embedded node: " + e.getMessage(), e);
        }
      }
    }
  }

  private static void quiet(String logger) {
    org.slf4j.Logger l = LoggerFactory.getLogger(logger);
    if (l instanceof ch.qos.logback.classic.Logger lb) {
      lb.setLevel(Level.WARN);
    }
  }
}
