package org.imgpipe.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The stage outputs this node's slots made for senders on other nodes, each held until the next stage
 * has it (docs/decisions/pipeline.md, 10). A sender's pool that has reserved the next stage's slot asks
 * for the image to be sent there ({@link Forward}): by reference when that slot is on this node, over
 * the network otherwise, but never back through the sender. The sender releases an output once the next
 * stage is done with it; whatever no one releases expires after the request deadline.
 */
public final class StageOutputs extends AbstractBehavior<StageOutputs.Command> {

  /** Messages the holder understands. */
  public sealed interface Command {}

  /** From a slot of this node: keep {@code image} under {@code key}. */
  record Hold(String key, ImagePayload.Decoded image) implements Command {}

  /**
   * From a sender's pool: send the image held under {@code key} to slot {@code slotId} as a
   * {@link StageSlot.Work} with these fields; answered {@link Missing} when nothing is held under the key.
   */
  public record Forward(String key, String slotId, long ticket, int attempt, StageJob job, long remainingMillis,
      boolean hold, boolean reserved, boolean suspect, ActorRef<StageSlot.Reply> replyTo)
      implements Command, PipelineSerializer.Wire {}

  /** The image under {@code key} is no longer needed. */
  public record Release(String key) implements Command, PipelineSerializer.Wire {}

  /** The answer to a Forward whose image is not held (any more): the job's input is lost. */
  public record Missing(long ticket, int attempt, String key) implements StageSlot.Reply {}

  private enum Sweep implements Command { INSTANCE }

  private record Entry(ImagePayload.Decoded image, long untilNanos) {}

  public static Behavior<Command> create(Duration keepFor, AtomicLong heldBytes) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new StageOutputs(ctx, timers, keepFor, heldBytes)));
  }

  private final ClusterSharding sharding;
  private final long keepNanos;
  private final AtomicLong heldBytes;
  private final Map<String, Entry> held = new HashMap<>();

  private StageOutputs(ActorContext<Command> ctx, TimerScheduler<Command> timers, Duration keepFor,
      AtomicLong heldBytes) {
    super(ctx);
    this.sharding = ClusterSharding.get(ctx.getSystem());
    this.keepNanos = keepFor.toNanos();
    this.heldBytes = heldBytes;
    Duration sweep = keepFor.dividedBy(4);
    timers.startTimerWithFixedDelay(Sweep.INSTANCE,
        sweep.compareTo(Duration.ofMillis(100)) < 0 ? Duration.ofMillis(100) : sweep);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Hold.class, this::onHold)
        .onMessage(Forward.class, this::onForward)
        .onMessage(Release.class, this::onRelease)
        .onMessageEquals(Sweep.INSTANCE, this::onSweep)
        .build();
  }

  private Behavior<Command> onHold(Hold h) {
    Entry old = held.put(h.key(), new Entry(h.image(), System.nanoTime() + keepNanos));
    heldBytes.addAndGet(bytes(h.image()) - (old == null ? 0 : bytes(old.image())));
    return this;
  }

  private Behavior<Command> onForward(Forward f) {
    Entry e = held.get(f.key());
    if (e == null) {
      f.replyTo().tell(new Missing(f.ticket(), f.attempt(), f.key()));
      return this;
    }
    Stage stage = StageSlot.stageOf(f.slotId());
    sharding.entityRefFor(StageSlot.typeKey(stage), f.slotId()).tell(new StageSlot.Work(f.ticket(), f.attempt(),
        f.job(), e.image(), f.remainingMillis(), f.hold(), f.reserved(), true, f.suspect(), f.replyTo()));
    return this;
  }

  private Behavior<Command> onRelease(Release r) {
    Entry e = held.remove(r.key());
    if (e != null) {
      heldBytes.addAndGet(-bytes(e.image()));
    }
    return this;
  }

  private Behavior<Command> onSweep() {
    long now = System.nanoTime();
    for (Iterator<Entry> it = held.values().iterator(); it.hasNext(); ) {
      Entry e = it.next();
      if (e.untilNanos() - now < 0) {
        it.remove();
        heldBytes.addAndGet(-bytes(e.image()));
      }
    }
    return this;
  }

  private static long bytes(ImagePayload.Decoded d) {
    return 4L * d.raster().width() * d.raster().height();
  }
}
