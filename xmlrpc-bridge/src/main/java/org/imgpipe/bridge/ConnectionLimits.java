package org.imgpipe.bridge;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Counts a port's open connections, in all and per client address, against their limits. */
final class ConnectionLimits {

  private final int max;
  private final int maxPerClient;
  private final AtomicInteger open = new AtomicInteger();
  private final ConcurrentHashMap<InetAddress, Integer> perClient = new ConcurrentHashMap<>();

  ConnectionLimits(int max, int maxPerClient) {
    this.max = max;
    this.maxPerClient = maxPerClient;
  }

  /**
   * Counts a new connection from {@code client}; answers null when it is within the limits, else the
   * refusal it gets. Every connection, admitted or not, is counted until {@link #closed}, so that refused
   * connections that linger are counted too.
   */
  Refusal opened(InetAddress client) {
    int all = open.incrementAndGet();
    int mine = perClient.merge(client, 1, Integer::sum);
    if (mine > maxPerClient) {
      return Refusal.tooManyFromClient(maxPerClient);
    }
    return all > max ? Refusal.tooMany(max) : null;
  }

  void closed(InetAddress client) {
    open.decrementAndGet();
    perClient.computeIfPresent(client, (a, n) -> n <= 1 ? null : n - 1);
  }

  int open() {
    return open.get();
  }
}
