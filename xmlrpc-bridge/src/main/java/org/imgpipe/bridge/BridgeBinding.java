package org.imgpipe.bridge;

import akka.Done;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.imgpipe.config.ImgpipeSettings.Role;

/** The service ports a node has open, by role, with the addresses they were bound to. */
public final class BridgeBinding {

  private final Map<Role, ServiceListener> bindings;
  private final Duration drain;

  /** {@code drain}: how long calls in progress may still run after the ports stop accepting. */
  BridgeBinding(Map<Role, ServiceListener> bindings, Duration drain) {
    this.bindings = Collections.unmodifiableMap(new EnumMap<>(bindings));
    this.drain = drain;
  }

  /** The roles whose service ports are open. */
  public Set<Role> roles() {
    return bindings.keySet();
  }

  /** The port actually bound for a role (the one the OS chose when the configured port was 0). */
  public int port(Role role) {
    return address(role).getPort();
  }

  public InetSocketAddress address(Role role) {
    ServiceListener b = bindings.get(role);
    if (b == null) {
      throw new IllegalArgumentException("no service port is open for role " + role.configName());
    }
    return b.localAddress();
  }

  public Map<Role, InetSocketAddress> addresses() {
    Map<Role, InetSocketAddress> m = new EnumMap<>(Role.class);
    bindings.forEach((r, b) -> m.put(r, b.localAddress()));
    return m;
  }

  /**
   * Stops accepting connections, lets the calls in progress finish (at most the drain time, which is the
   * request deadline: no accepted call can legitimately run longer), then closes all connections.
   */
  public CompletionStage<Done> unbind() {
    CompletableFuture<?>[] all = bindings.values().stream()
        .map(l -> l.terminate(drain).toCompletableFuture())
        .toArray(CompletableFuture[]::new);
    return CompletableFuture.allOf(all).thenApply(v -> Done.getInstance());
  }
}
