package org.imgpipe.pipeline;

import akka.Done;
import akka.actor.Address;
import akka.actor.AddressFromURIString;
import akka.actor.Cancellable;
import akka.actor.CoordinatedShutdown;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorSystem;
import akka.actor.typed.DispatcherSelector;
import akka.actor.typed.Props;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.Entity;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Join;
import akka.cluster.typed.JoinSeedNodes;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.imgpipe.config.ImgpipeSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pipeline of one node: sharding for the stage roles this node has (slots live only there), one
 * local {@link StagePool} per stage (every node can send to every stage), the {@link Orchestration}
 * and the {@link JobLedger}. Joins the cluster when no Akka seed nodes are configured.
 */
public final class PipelineNode {

  /** The image dispatcher's config path; image work runs there, never on the default dispatcher. */
  public static final String IMAGE_DISPATCHER = "imgpipe.image-dispatcher";

  /**
   * How long a leaving node waits, once it is Exiting (no new work comes to it), for the next stages to
   * fetch the results it holds; akka.coordinated-shutdown.phases.cluster-exiting.timeout is set above it.
   */
  static final Duration HELD_HAND_OFF = Duration.ofSeconds(15);

  private static final Logger log = LoggerFactory.getLogger(PipelineNode.class);

  /** The member statuses counted in imgpipe_cluster_members, with their tag; unreachable is counted apart. */
  private static final Map<MemberStatus, String> MEMBER_STATUS_TAGS = orderedTags();

  private static Map<MemberStatus, String> orderedTags() {
    Map<MemberStatus, String> tags = new java.util.LinkedHashMap<>();
    tags.put(MemberStatus.joining(), "joining");
    tags.put(MemberStatus.weaklyUp(), "weakly_up");
    tags.put(MemberStatus.up(), "up");
    tags.put(MemberStatus.leaving(), "leaving");
    tags.put(MemberStatus.exiting(), "exiting");
    tags.put(MemberStatus.down(), "down");
    return java.util.Collections.unmodifiableMap(tags);
  }

  private final ActorSystem<?> system;
  private final Map<Stage, ActorRef<StagePool.Command>> pools;
  private final ActorRef<Orchestration.Command> orchestration;
  private final ActorRef<JobLedger.Command> ledger;
  private final PipelineMetrics metrics;
  private final Quarantine quarantine;

  private PipelineNode(ActorSystem<?> system, Map<Stage, ActorRef<StagePool.Command>> pools,
      ActorRef<Orchestration.Command> orchestration, ActorRef<JobLedger.Command> ledger, PipelineMetrics metrics,
      Quarantine quarantine) {
    this.system = system;
    this.quarantine = quarantine;
    this.pools = pools;
    this.orchestration = orchestration;
    this.ledger = ledger;
    this.metrics = metrics;
  }

  public static PipelineNode start(ActorSystem<?> system, ImgpipeSettings settings, MeterRegistry registry) {
    return start(system, settings, registry, new StageWork(settings));
  }

  /** As {@link #start(ActorSystem, ImgpipeSettings, MeterRegistry)}, with the slots running {@code work}. */
  public static PipelineNode start(ActorSystem<?> system, ImgpipeSettings settings, MeterRegistry registry,
      StageWork work) {
    PipelineMetrics metrics = new PipelineMetrics(registry);
    metrics.imageMemory(work.memory());
    Executor imageExecutor = system.dispatchers().lookup(DispatcherSelector.fromConfig(IMAGE_DISPATCHER));
    AtomicLong heldBytes = new AtomicLong();
    metrics.heldImages(heldBytes);
    // Outputs are kept a little past the longest request, then dropped even if no one released them.
    ActorRef<StageOutputs.Command> outputs = system.systemActorOf(
        StageOutputs.create(settings.timeouts().request().plusSeconds(10), heldBytes), "imgpipe-outputs",
        Props.empty());
    // A leaving node (SIGTERM, or a Leave) stays a member until the results it holds have been fetched:
    // its removal would make every request whose image is held here start again from the client's bytes.
    CoordinatedShutdown.get(system).addTask(CoordinatedShutdown.PhaseClusterExiting(), "imgpipe-hand-off-held",
        () -> awaitNothingHeld(system, heldBytes, HELD_HAND_OFF));
    Quarantine quarantine = new Quarantine(settings.poison().quarantine(), registry);
    system.systemActorOf(quarantine.listener(), "imgpipe-quarantine", Props.empty());
    ClusterSharding sharding = ClusterSharding.get(system);
    for (Stage stage : Stage.values()) {
      // On a node without the stage's role this starts a proxy only: no slot is ever placed here.
      sharding.init(Entity.of(StageSlot.typeKey(stage),
              ctx -> StageSlot.create(ctx.getEntityId(), work, imageExecutor, metrics,
                  settings.delivery().acceptTimeout(), outputs))
          .withRole(stage.key())
          .withMessageExtractor(StageSlot.extractor())
          .withStopMessage(StageSlot.Stop.INSTANCE));
    }
    Map<Stage, ActorRef<StagePool.Command>> pools = new EnumMap<>(Stage.class);
    for (Stage stage : Stage.values()) {
      pools.put(stage, system.systemActorOf(StagePool.create(stage, settings, metrics, quarantine),
          "imgpipe-pool-" + stage.key(), Props.empty()));
    }
    ActorRef<JobLedger.Command> ledger = system.systemActorOf(JobLedger.create(settings), "imgpipe-jobs",
        Props.empty());
    ActorRef<Orchestration.Command> orchestration = system.systemActorOf(
        Orchestration.create(pools, ledger, settings, quarantine), "imgpipe-orchestration", Props.empty());

    Cluster cluster = Cluster.get(system);
    List<String> statuses = new ArrayList<>(MEMBER_STATUS_TAGS.values());
    statuses.add("unreachable");
    metrics.clusterMembers(statuses, status -> countMembers(cluster, status));
    join(system, settings);
    return new PipelineNode(system, Map.copyOf(pools), orchestration, ledger, metrics, quarantine);
  }

  /**
   * Completes once this node holds no stage result for another node's next stage ({@code heldBytes} is 0), or
   * after {@code max} with a warning naming what is still held (those requests start again from the
   * client's bytes once this node is removed).
   */
  static CompletionStage<Done> awaitNothingHeld(ActorSystem<?> system, AtomicLong heldBytes, Duration max) {
    CompletableFuture<Done> done = new CompletableFuture<>();
    if (heldBytes.get() == 0) {
      done.complete(Done.getInstance());
      return done;
    }
    long t0 = System.nanoTime();
    log.info("leaving: waiting up to {} ms for the next stages to fetch the {} KiB of results held here",
        max.toMillis(), heldBytes.get() / 1024);
    AtomicReference<Cancellable> tick = new AtomicReference<>();
    tick.set(system.scheduler().scheduleAtFixedRate(Duration.ofMillis(20), Duration.ofMillis(20), () -> {
      long left = heldBytes.get();
      long waited = System.nanoTime() - t0;
      if (left == 0 || waited >= max.toNanos()) {
        if (left == 0) {
          log.info("leaving: every held result was fetched in {} ms", waited / 1_000_000);
        } else {
          log.warn("leaving: {} KiB of results still held after {} ms; their requests start again from the "
              + "client's bytes", left / 1024, max.toMillis());
        }
        done.complete(Done.getInstance());
      }
    }, system.executionContext()));
    done.whenComplete((d, e) -> {
      Cancellable c = tick.get();
      if (c != null) {
        c.cancel();
      }
    });
    return done;
  }

  private static void join(ActorSystem<?> system, ImgpipeSettings settings) {
    if (!system.settings().config().getStringList("akka.cluster.seed-nodes").isEmpty()) {
      return; // Akka joins the configured seed nodes by itself
    }
    Cluster cluster = Cluster.get(system);
    List<String> seeds = ClusterConfig.seedAddresses(settings.node().seedNodes(), system.name());
    if (seeds.isEmpty()) {
      cluster.manager().tell(Join.create(cluster.selfMember().address()));
    } else {
      List<Address> addresses = new ArrayList<>();
      for (String s : seeds) {
        addresses.add(AddressFromURIString.parse(s));
      }
      cluster.manager().tell(new JoinSeedNodes(addresses));
    }
  }

  private static double countMembers(Cluster cluster, String status) {
    if (status.equals("unreachable")) {
      return cluster.state().getUnreachable().size();
    }
    int n = 0;
    for (Member m : cluster.state().getMembers()) {
      if (status.equals(MEMBER_STATUS_TAGS.get(m.status()))) {
        n++;
      }
    }
    return n;
  }

  /** This node's pool of a stage; it sends to that stage's slots wherever in the cluster they are. */
  public ActorRef<StagePool.Command> pool(Stage stage) {
    return pools.get(stage);
  }

  public ActorRef<Orchestration.Command> orchestration() {
    return orchestration;
  }

  public ActorRef<JobLedger.Command> ledger() {
    return ledger;
  }

  public PipelineMetrics metrics() {
    return metrics;
  }

  /** The images this node refuses as suspected poison inputs. */
  public Quarantine quarantine() {
    return quarantine;
  }

  /**
   * True when this node is Up in the cluster and every stage has at least one reachable Up member with
   * its role, so that every pool can place work.
   */
  public boolean ready() {
    Cluster cluster = Cluster.get(system);
    if (cluster.selfMember().status() != MemberStatus.up()) {
      return false;
    }
    for (Stage stage : Stage.values()) {
      boolean found = false;
      for (Member m : cluster.state().getMembers()) {
        if (m.status() == MemberStatus.up() && m.hasRole(stage.key())
            && !cluster.state().getUnreachable().contains(m)) {
          found = true;
          break;
        }
      }
      if (!found) {
        return false;
      }
    }
    return true;
  }
}
