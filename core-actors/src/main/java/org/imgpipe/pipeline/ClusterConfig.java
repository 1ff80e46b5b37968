package org.imgpipe.pipeline;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;

/**
 * The Akka settings that follow from imgpipe.node: Artery binds to {@code host} but advertises
 * {@code canonical-host} (containers, multi-homed hosts), cluster roles with "all" expanded, seed nodes
 * as Akka addresses, and the image dispatcher's size. Use as {@code ClusterConfig.of(settings,
 * name).withFallback(config)} when creating the ActorSystem.
 */
public final class ClusterConfig {

  private ClusterConfig() {}

  public static Config of(ImgpipeSettings settings, String systemName) {
    ImgpipeSettings.Node node = settings.node();
    Map<String, Object> m = new HashMap<>();
    m.put("akka.remote.artery.canonical.hostname", node.advertisedHost());
    m.put("akka.remote.artery.canonical.port", node.clusterPort());
    m.put("akka.remote.artery.bind.hostname", node.host());
    m.put("akka.remote.artery.bind.port", node.clusterPort());
    List<String> roles = new ArrayList<>();
    for (Role r : node.roles()) {
      roles.add(r.configName());
    }
    m.put("akka.cluster.roles", roles);
    if (!node.seedNodes().isEmpty()) {
      m.put("akka.cluster.seed-nodes", seedAddresses(node.seedNodes(), systemName));
    }
    m.put("imgpipe.image-dispatcher.thread-pool-executor.fixed-pool-size", settings.imageThreads());
    return ConfigFactory.parseMap(m);
  }

  /** "host:port" items (cluster ports) as Akka addresses of the system {@code systemName}. */
  public static List<String> seedAddresses(List<String> hostPorts, String systemName) {
    List<String> out = new ArrayList<>();
    for (String hp : hostPorts) {
      String t = hp.trim();
      if (t.isEmpty()) {
        continue;
      }
      out.add(t.startsWith("akka://") ? t : "akka://" + systemName + "@" + t);
    }
    return out;
  }
}
