package org.imgpipe.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.sharding.typed.ShardingEnvelope;
import akka.cluster.sharding.typed.ShardingMessageExtractor;
import akka.cluster.sharding.typed.javadsl.EntityTypeKey;
import akka.cluster.typed.Cluster;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One worker slot of a stage ("filter-3"), a cluster-sharded entity living only on nodes with the
 * stage's role. A slot runs one job at a time on the image dispatcher; a second job offered while it
 * works is rejected at once, so the senders' pools try another slot. That keeps the cluster-wide work in
 * flight of a stage at most its slot count, whatever the number of sending nodes.
 */
public final class StageSlot extends AbstractBehavior<StageSlot.Command> {

  /** Messages a slot understands. */
  public sealed interface Command {}

  /**
   * Ask the slot to keep itself free for one job of {@code replyTo}; answered at once with Accepted (the
   * slot is reserved for accept-timeout) or Rejected. The image follows in a Work only after Accepted.
   */
  public record Reserve(long ticket, int attempt, ActorRef<Reply> replyTo) implements Command, PipelineSerializer.Wire {}

  /**
   * Run {@code job} on {@code input}; {@code ticket} and {@code attempt} identify it in the replies.
   * {@code hold}: when the sender is on another node, keep a decoded result on this node (in
   * {@link StageOutputs}) and answer a {@link ImagePayload.Held} reference to it instead of the image.
   * {@code reserved}: the slot reserved itself for this attempt (Reserve, Accepted) before; without, the
   * slot takes it only when it is free and reserved for no one, and turns it down otherwise.
   * {@code announce}: tell the sender when the work starts ({@link Started}): the image came from a node's
   * StageOutputs, or without a reservation. {@code suspect}: a node was lost while running this job before;
   * run it alone (it holds all of the node's image memory).
   */
  public record Work(long ticket, int attempt, StageJob job, ImagePayload input, long remainingMillis, boolean hold,
      boolean reserved, boolean announce, boolean suspect, ActorRef<Reply> replyTo)
      implements Command, PipelineSerializer.Wire {
    public Work(long ticket, int attempt, StageJob job, ImagePayload input, long remainingMillis,
        ActorRef<Reply> replyTo) {
      this(ticket, attempt, job, input, remainingMillis, false, true, false, false, replyTo);
    }
  }

  /** Sharding's hand-off message: a working slot stops only after it has answered its job. */
  public enum Stop implements Command { INSTANCE }

  private record Finished(Work work, StageResult result) implements Command {}

  /** Answers of a slot (or of the StageOutputs that was to send it the image) to a pool. */
  public sealed interface Reply extends StagePool.Command, PipelineSerializer.Wire
      permits Accepted, Rejected, Started, Done, StageOutputs.Missing {
    long ticket();

    int attempt();
  }

  /** The slot is reserved for the job; {@code member} is the cluster address of its node, for failure detection. */
  public record Accepted(long ticket, int attempt, String slotId, String member) implements Reply {}

  /** The slot is working for another sender (or the job's deadline had passed: {@code expired}). */
  public record Rejected(long ticket, int attempt, String slotId, boolean expired) implements Reply {}

  /** A job sent without a reservation, or by a StageOutputs, arrived and the work began. */
  public record Started(long ticket, int attempt, String slotId, String member) implements Reply {}

  /** The job's result. */
  public record Done(long ticket, int attempt, String slotId, StageResult result) implements Reply {}

  public static EntityTypeKey<Command> typeKey(Stage stage) {
    return EntityTypeKey.create(Command.class, stage.key() + "-slot");
  }

  /** Entity id of slot {@code index} of a stage, e.g. "filter-3". */
  public static String slotId(Stage stage, int index) {
    return stage.key() + "-" + index;
  }

  /** The stage of a slot id made by {@link #slotId}. */
  static Stage stageOf(String slotId) {
    int dash = slotId.lastIndexOf('-');
    String key = dash > 0 ? slotId.substring(0, dash) : slotId;
    for (Stage s : Stage.values()) {
      if (s.key().equals(key)) {
        return s;
      }
    }
    throw new IllegalArgumentException("not a slot id: " + slotId);
  }

  /** One shard per slot, so that sharding spreads the slots over the role's nodes evenly. */
  public static ShardingMessageExtractor<ShardingEnvelope<Command>, Command> extractor() {
    return new ShardingMessageExtractor<>() {
      @Override
      public String entityId(ShardingEnvelope<Command> envelope) {
        return envelope.entityId();
      }

      @Override
      public String shardId(String entityId) {
        int dash = entityId.lastIndexOf('-');
        return dash >= 0 ? entityId.substring(dash + 1) : entityId;
      }

      @Override
      public Command unwrapMessage(ShardingEnvelope<Command> envelope) {
        return envelope.message();
      }
    };
  }

  public static Behavior<Command> create(String slotId, StageWork work, Executor imageExecutor,
      PipelineMetrics metrics, java.time.Duration reservation, ActorRef<StageOutputs.Command> outputs) {
    return Behaviors.setup(ctx -> new StageSlot(ctx, slotId, work, imageExecutor, metrics, reservation, outputs));
  }

  /** A Work's remaining time above this (a day) means: no deadline. */
  private static final long MAX_REMAINING_MILLIS = 86_400_000L;

  private record Reservation(long ticket, int attempt, ActorRef<Reply> owner, long untilNanos) {}

  private final String slotId;
  private final StageWork work;
  private final Executor imageExecutor;
  private final PipelineMetrics metrics;
  private final String member;
  private final long maxPayloadBytes;
  private final long reservationNanos;
  private final ActorRef<StageOutputs.Command> outputs;
  private Reservation reserved;
  private Work current;
  private boolean stopping;

  private StageSlot(ActorContext<Command> ctx, String slotId, StageWork work, Executor imageExecutor,
      PipelineMetrics metrics, java.time.Duration reservation, ActorRef<StageOutputs.Command> outputs) {
    super(ctx);
    this.reservationNanos = reservation.toNanos();
    this.outputs = outputs;
    this.slotId = slotId;
    this.work = work;
    this.imageExecutor = imageExecutor;
    this.metrics = metrics;
    this.member = Cluster.get(ctx.getSystem()).selfMember().address().toString();
    this.maxPayloadBytes = StagePool.maxPayloadBytes(ctx.getSystem().settings().config());
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Reserve.class, this::onReserve)
        .onMessage(Work.class, this::onWork)
        .onMessage(Finished.class, this::onFinished)
        .onMessageEquals(Stop.INSTANCE, this::onStop)
        .build();
  }

  /** Reserved for someone else, and the reservation has not run out. */
  private boolean reservedForOther(ActorRef<Reply> who, long ticket, int attempt) {
    Reservation r = reserved;
    return r != null && r.untilNanos() > System.nanoTime()
        && !(r.owner().equals(who) && r.ticket() == ticket && r.attempt() == attempt);
  }

  private Behavior<Command> onReserve(Reserve r) {
    if (current != null || stopping || reservedForOther(r.replyTo(), r.ticket(), r.attempt())) {
      r.replyTo().tell(new Rejected(r.ticket(), r.attempt(), slotId, false));
      return this;
    }
    reserved = new Reservation(r.ticket(), r.attempt(), r.replyTo(), System.nanoTime() + reservationNanos);
    r.replyTo().tell(new Accepted(r.ticket(), r.attempt(), slotId, member));
    return this;
  }

  /** The slot holds a reservation for exactly this job attempt (run out or not). */
  private boolean reservedFor(Work w) {
    Reservation r = reserved;
    return r != null && r.owner().equals(w.replyTo()) && r.ticket() == w.ticket() && r.attempt() == w.attempt();
  }

  private Behavior<Command> onWork(Work w) {
    // Reserved work comes only after this slot's Accepted. One that finds no reservation of its own was
    // reserved on an earlier incarnation of the slot (moved by a rebalance or a leaving node), which gave
    // the reservation back when it stopped: the sender has already put the job back in its queue. Work
    // sent without a reservation is taken only by a slot that is free and reserved for no one.
    boolean mine = w.reserved() ? reservedFor(w) : !reservedForOther(w.replyTo(), w.ticket(), w.attempt());
    if (current != null || stopping || !mine) {
      w.replyTo().tell(new Rejected(w.ticket(), w.attempt(), slotId, false));
      return this;
    }
    reserved = null;
    if (w.remainingMillis() <= 0) {
      w.replyTo().tell(new Rejected(w.ticket(), w.attempt(), slotId, true));
      return this;
    }
    current = w;
    if (w.announce()) {
      w.replyTo().tell(new Started(w.ticket(), w.attempt(), slotId, member));
    }
    getContext().getLog().debug("{} runs {} (ticket {}, attempt {})", slotId, w.job().getClass().getSimpleName(),
        w.ticket(), w.attempt());
    long deadline = w.remainingMillis() > MAX_REMAINING_MILLIS ? Long.MAX_VALUE
        : System.nanoTime() + w.remainingMillis() * 1_000_000L;
    CompletableFuture<StageResult> f = CompletableFuture.supplyAsync(
        () -> work.run(w.job(), w.input(), deadline, w.suspect()), imageExecutor);
    getContext().pipeToSelf(f, (result, error) -> new Finished(w, result != null ? result
        : StageResult.failure(StageResult.Status.FAILED, "internal error in " + slotId, 0, work.node(w.job().stage()))));
    return this;
  }

  private Behavior<Command> onFinished(Finished f) {
    current = null;
    StageResult result = f.result();
    metrics.recordWork(f.work().job().stage(), result.workMillis());
    boolean senderElsewhere = f.work().replyTo().path().address().hasGlobalScope();
    if (f.work().hold() && senderElsewhere && result.image() instanceof ImagePayload.Decoded d) {
      // The next stage takes the image from here (docs/decisions/pipeline.md, 10): the sender gets a reference.
      String key = java.util.UUID.randomUUID().toString();
      outputs.tell(new StageOutputs.Hold(key, d));
      result = new StageResult(result.status(), result.message(), new ImagePayload.Held(outputs, member, key,
          d.raster().width(), d.raster().height(), d.raster().hasAlpha(), d.sourceFormat()), result.width(),
          result.height(), result.sourceWidth(), result.sourceHeight(), result.workMillis(), result.node());
    } else if (result.image() != null && result.image().sizeBytes() > maxPayloadBytes && senderElsewhere) {
      // Artery would drop the oversized frame and the sender would wait for nothing: say why instead.
      result = StageResult.failure(StageResult.Status.FAILED, "result too large to send back to another node: "
          + result.image().sizeBytes() + " bytes (the cluster's frame limit allows " + maxPayloadBytes + ")",
          result.workMillis(), result.node());
    }
    f.work().replyTo().tell(new Done(f.work().ticket(), f.work().attempt(), slotId, result));
    return stopping ? Behaviors.stopped() : this;
  }

  private Behavior<Command> onStop() {
    Reservation r = reserved;
    if (r != null) {
      // Sharding hands the slot off (rebalance, or its node leaves). The Work for this reservation may
      // already be on its way and would be dropped with the hand-off: give the reservation back, so that
      // the sender offers the job again now instead of waiting for an answer that cannot come.
      reserved = null;
      r.owner().tell(new Rejected(r.ticket(), r.attempt(), slotId, false));
    }
    if (current == null) {
      return Behaviors.stopped();
    }
    stopping = true;
    return this;
  }
}
