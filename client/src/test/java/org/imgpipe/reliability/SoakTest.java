package org.imgpipe.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.reliability.Workload.Outcome;
import org.imgpipe.reliability.Workload.Retry;
import org.imgpipe.reliability.Workload.Target;
import org.imgpipe.xmlrpc.client.ImgpipeClient;
import org.junit.jupiter.api.Test;

/**
 * The soak of the long suite ({@code selftest/long.sh}; skipped by {@code mvn verify}): one node at the default
 * heap under steady load for {@code imgpipe.reliability.soak-seconds} (600 by default), sampling its RSS and
 * thread count. Every image succeeds (busy answers are retried), and memory and threads level off.
 */
class SoakTest {

  @Test
  void steadyLoadForTenMinutesKeepsMemoryAndThreadsFlat() throws Exception {
    assumeTrue(Sizes.isLong(), "the soak runs in the long suite only (selftest/long.sh)");
    int seconds = Sizes.soakSeconds();
    String host = Net.host(31);
    try (NodeProcess node = new NodeProcess("soak", host, List.of("all"), Net.ports(host), List.of(), List.of())) {
      node.start().awaitReady(Duration.ofSeconds(240));
      List<Target> target = List.of(new Target(host, node.port(Role.ORCHESTRATOR)));
      AtomicBoolean stop = new AtomicBoolean();
      AtomicLong ok = new AtomicLong();
      AtomicLong bad = new AtomicLong();
      List<String> badMessages = java.util.Collections.synchronizedList(new ArrayList<>());
      int clients = 6;
      ExecutorService pool = Executors.newFixedThreadPool(clients);
      ImgpipeClient[] clientOf = new ImgpipeClient[clients];
      for (int c = 0; c < clients; c++) {
        clientOf[c] = target.get(0).client(Duration.ofSeconds(90));
        int id = c;
        pool.execute(() -> {
          int i = id * 1_000_000;
          while (!stop.get()) {
            Outcome o = Workload.one(List.of(clientOf[id]), target, i++, Retry.BUSY);
            if (o.success() && o.width() == Workload.TARGET_WIDTH) {
              ok.incrementAndGet();
            } else {
              bad.incrementAndGet();
              if (badMessages.size() < 20) {
                badMessages.add(o.message());
              }
            }
          }
        });
      }
      List<long[]> samples = new ArrayList<>(); // seconds, RSS KiB, threads
      long t0 = System.nanoTime();
      try {
        while ((System.nanoTime() - t0) / 1_000_000_000L < seconds) {
          Thread.sleep(10_000);
          samples.add(new long[] {(System.nanoTime() - t0) / 1_000_000_000L, node.rssKib(), threads(node)});
          assertTrue(node.isAlive(), "the node died during the soak:\n" + node.logTail(40));
        }
      } finally {
        stop.set(true);
        pool.shutdown();
        assertTrue(pool.awaitTermination(3, TimeUnit.MINUTES), "soak clients did not stop");
      }
      long wall = (System.nanoTime() - t0) / 1_000_000;
      long third = samples.get(samples.size() / 3)[1];
      long last = samples.get(samples.size() - 1)[1];
      long maxRss = samples.stream().mapToLong(s -> s[1]).max().orElse(0);
      long threadsThird = samples.get(samples.size() / 3)[2];
      long threadsLast = samples.get(samples.size() - 1)[2];
      Report.result("soak: " + seconds + " s, " + clients + " clients, default heap", ok.get() + " images ok, "
          + bad.get() + " failed, " + String.format("%.2f", ok.get() * 1000.0 / wall) + " img/s; RSS at 1/3 "
          + third / 1024 + " MiB, at end " + last / 1024 + " MiB, max " + maxRss / 1024 + " MiB, peak (VmHWM) "
          + node.peakRssKib() / 1024 + " MiB; threads " + threadsThird + " -> " + threadsLast);
      assertEquals(0, bad.get(), "failures during the soak: " + badMessages);
      assertFalse(node.logText().contains("OutOfMemoryError"));
      assertTrue(last < third * 1.3 + 100 * 1024, "RSS kept growing: " + third + " -> " + last + " KiB");
      assertTrue(threadsLast < threadsThird + 30, "threads kept growing: " + threadsThird + " -> " + threadsLast);
    }
  }

  static long threads(NodeProcess node) {
    try {
      for (String line : java.nio.file.Files.readAllLines(java.nio.file.Path.of("/proc", String.valueOf(node.pid()),
          "status"))) {
        if (line.startsWith("Threads:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (java.io.IOException e) {
      return -1;
    }
    return -1;
  }
}
