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
 * as Akka addresses, Artery over mutual TLS when {@code imgpipe.node.tls} is on, and the image
 * dispatcher's size. Use as {@code ClusterConfig.of(settings, name).withFallback(config)} when creating
 * the ActorSystem.
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
    if (settings.tls().enabled()) {
      m.putAll(tls(settings.tls()));
    }
    return ConfigFactory.parseMap(m);
  }

  /** The Artery TLS keys of imgpipe.node.tls; reads the password files. */
  static Map<String, Object> tls(ImgpipeSettings.Tls tls) {
    String ssl = "akka.remote.artery.ssl.config-ssl-engine.";
    Map<String, Object> m = new HashMap<>();
    m.put("akka.remote.artery.transport", "tls-tcp");
    m.put(ssl + "key-store", tls.keyStore());
    String keyPassword = tls.keyStorePassword().reveal();
    m.put(ssl + "key-store-password", keyPassword);
    // A PKCS12 key store protects its key with the store's password (keytool allows no other).
    m.put(ssl + "key-password", keyPassword);
    m.put(ssl + "trust-store", tls.trustStore());
    m.put(ssl + "trust-store-password", tls.trustStorePassword().reveal());
    // Not left to a conf file: without it any TLS client could connect, certificate or not.
    m.put(ssl + "require-mutual-authentication", "on");
    m.put(ssl + "hostname-verification", tls.hostnameVerification() ? "on" : "off");
    return m;
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
