package org.imgpipe.pipeline;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorSystem;
import akka.cluster.typed.Cluster;
import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.imgpipe.config.ImgpipeSettings;

/**
 * One real imgpipe node for tests: its own ActorSystem (named "imgpipe", as every member of one cluster
 * must be), bound to its own loopback address with a cluster port the OS picks, so that tests of several
 * engineers run side by side.
 */
final class TestNode implements AutoCloseable {

  final ActorTestKit kit;
  final ImgpipeSettings settings;
  final PipelineNode pipeline;
  final SimpleMeterRegistry registry = new SimpleMeterRegistry();

  private TestNode(ActorTestKit kit, ImgpipeSettings settings, Function<ImgpipeSettings, StageWork> work) {
    this.kit = kit;
    this.settings = settings;
    this.pipeline = PipelineNode.start(kit.system(), settings, registry, work.apply(settings));
  }

  /**
   * Starts a node. {@code roles} like "resize, filter"; {@code seed} is another node to join, or null to
   * form a new cluster; {@code extra} is HOCON overriding the defaults.
   */
  static TestNode start(String host, String roles, TestNode seed, String extra,
      Function<ImgpipeSettings, StageWork> work, boolean abruptStop) {
    String seeds = seed == null ? "" : "\"" + seed.host() + ":" + seed.port() + "\"";
    Config base = ConfigFactory.parseString(
        "imgpipe.node.host = \"" + host + "\"\n"
            + "imgpipe.node.cluster-port = 0\n"
            + "imgpipe.node.roles = [" + roles + "]\n"
            + "imgpipe.node.seed-nodes = [" + seeds + "]\n"
            + "akka.loglevel = WARNING\n"
            + "akka.cluster.jmx.multi-mbeans-in-same-jvm = on\n"
            // Short enough for the abrupt-stop test, long enough not to split a cluster on a loaded machine.
            + "akka.cluster.split-brain-resolver.stable-after = 3s\n"
            + "akka.cluster.failure-detector.acceptable-heartbeat-pause = 8s\n"
            + "akka.coordinated-shutdown.run-by-jvm-shutdown-hook = off\n"
            // The machine is shared by several builds: allow slow starts and stops.
            + "akka.actor.testkit.typed.system-shutdown-default = 30s\n"
            + "akka.actor.creation-timeout = 60s\n"
            + "akka.actor.testkit.typed.throw-on-shutdown-timeout = off\n"
            + (abruptStop
                ? "akka.coordinated-shutdown.run-by-actor-system-terminate = off\n"
                    + "akka.cluster.run-coordinated-shutdown-when-down = off\n"
                : "")
            + (extra == null ? "" : extra))
        .withFallback(ImgpipeSettings.reference());
    ImgpipeSettings settings = new ImgpipeSettings(base.resolve());
    Config full = ClusterConfig.of(settings, "imgpipe").withFallback(base).resolve();
    return new TestNode(ActorTestKit.create("imgpipe", full), settings, work);
  }

  static TestNode single(String host, String extra, Function<ImgpipeSettings, StageWork> work) {
    TestNode n = start(host, "all", null, extra, work, false);
    n.awaitReady(Duration.ofSeconds(60));
    return n;
  }

  ActorSystem<Void> system() {
    return kit.system();
  }

  String host() {
    return settings.node().host();
  }

  int port() {
    return (Integer) Cluster.get(kit.system()).selfMember().address().getPort().get();
  }

  String member() {
    return Cluster.get(kit.system()).selfMember().address().toString();
  }

  /** Waits (bounded) until this node is Up and every stage has an Up member. */
  void awaitReady(Duration max) {
    awaitTrue(max, pipeline::ready, "node " + host() + " did not become ready");
  }

  static void awaitTrue(Duration max, java.util.function.BooleanSupplier condition, String message) {
    long end = System.nanoTime() + max.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > end) {
        throw new AssertionError(message + " within " + max.toMillis() + " ms");
      }
      try {
        Thread.sleep(50);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted");
      }
    }
  }

  /** Members this node sees as Up. */
  int upMembers() {
    int up = 0;
    for (var m : Cluster.get(kit.system()).state().getMembers()) {
      if (m.status() == akka.cluster.MemberStatus.up()) {
        up++;
      }
    }
    return up;
  }

  static List<String> nothing() {
    return List.of();
  }

  @Override
  public void close() {
    kit.shutdownTestKit();
  }
}
