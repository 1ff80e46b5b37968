package org.imgpipe.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
import com.typesafe.config.Config;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.imgpipe.config.ImgpipeSettings;

/**
 * The sender side of one stage on one node: it hands jobs to the stage's sharded slots, never more at a
 * time than there are slots, keeps the rest in a bounded queue, answers BUSY at once when that queue is
 * full, and retries a job on another slot when its slot's node stops answering (bounded attempts).
 * Every accepted job is answered exactly once: with the slot's result, a clear failure, or TIMEOUT at
 * its deadline.
 *
 * <p>A job's input may be held on another node ({@link ImagePayload.Held}): the pool then prefers a slot
 * on that node, and once a slot has agreed to take the job it asks that node's {@link StageOutputs} to
 * send the image there, so that the image never passes through this node. A job whose node was lost
 * while it ran is run again at most {@code imgpipe.poison.retries-after-node-loss} times, alone on its
 * new node; after that it is answered POISON and its image quarantined.
 */
public final class StagePool extends AbstractBehavior<StagePool.Command> {

  /** Messages a pool understands. */
  public interface Command {}

  /**
   * Run a job on this stage's pool. {@code timeout} (null = the configured request deadline) bounds the
   * whole wait: queueing, every attempt and the work. {@code hold}: a decoded result may stay on the slot's
   * node (answered as {@link ImagePayload.Held}) for the next stage to take from there.
   * {@code nodeLosses}: how often a node was already lost while running this job (an earlier run of the
   * request).
   */
  public record Submit(StageJob job, ImagePayload input, ActorRef<StageResult> replyTo, Duration timeout,
      boolean hold, int nodeLosses) implements Command {
    public Submit(StageJob job, ImagePayload input, ActorRef<StageResult> replyTo) {
      this(job, input, replyTo, null);
    }

    public Submit(StageJob job, ImagePayload input, ActorRef<StageResult> replyTo, Duration timeout) {
      this(job, input, replyTo, timeout, false, 0);
    }
  }

  /** Drop every job that would answer {@code replyTo}: queued jobs leave the queue, none is answered. */
  public record Cancel(ActorRef<StageResult> replyTo) implements Command {}

  /** For tests and /ready: the pool's counters. */
  public record GetState(ActorRef<State> replyTo) implements Command {}

  public record State(int queued, int inFlight, int slots, int queueLimit) {}

  private enum Tick implements Command { INSTANCE }

  private record AnswerTimeout(long ticket, int attempt) implements Command {}

  private record DeadlinePassed(long ticket) implements Command {}

  private record Reachability(ClusterEvent.ReachabilityEvent event) implements Command {}

  private record Membership(ClusterEvent.MemberEvent event) implements Command {}

  private record ReleaseSlot(int slot, long ticket) implements Command {}

  private enum TimerKind { ANSWER, DEADLINE, RELEASE }

  private record TimerKey(TimerKind kind, long ticket) {}

  private static final String TICK = "tick";

  /** Where an accepted job stands. */
  private enum Phase {
    /** Waiting in the queue for a slot. */
    QUEUED,
    /** A slot was asked to reserve itself for the job. */
    OFFERED,
    /**
     * The image is on its way to the slot (from this pool, or from the node holding it), after the slot's
     * reservation or, for images up to reserve-above, without one; the slot says when it starts.
     */
    SENT,
    /** The slot has the image and works on it. */
    RUNNING
  }

  /** One accepted job until it is answered. */
  private static final class Job {
    final long ticket;
    final Submit submit;
    final long acceptedNanos;
    final long deadlineNanos;
    /** The member whose slots get the image without a network hop: where the input is. */
    final String inputMember;
    Phase phase = Phase.QUEUED;
    int sends;
    int failures;
    int nodeLosses;
    int slot = -1;
    String member;
    String lastError = "";

    Job(long ticket, Submit submit, long acceptedNanos, long deadlineNanos, String inputMember) {
      this.ticket = ticket;
      this.submit = submit;
      this.acceptedNanos = acceptedNanos;
      this.deadlineNanos = deadlineNanos;
      this.inputMember = inputMember;
      this.nodeLosses = Math.max(0, submit.nodeLosses());
    }

    ImagePayload.Held held() {
      return submit.input() instanceof ImagePayload.Held h ? h : null;
    }
  }

  /** One slot of the stage as this pool sees it. */
  private static final class Slot {
    final EntityRef<StageSlot.Command> ref;
    /** Ticket of the job the slot holds for this pool; 0: free. */
    long ticket;
    /** Not offered work before this (System.nanoTime): busy for another pool, or suspect. */
    long coolUntil;
    /** Cluster address of the slot's node, learnt from its answers; null until then. */
    String member;

    Slot(EntityRef<StageSlot.Command> ref) {
      this.ref = ref;
    }

    boolean free(long now) {
      return ticket == 0 && coolUntil - now <= 0;
    }
  }

  public static Behavior<Command> create(Stage stage, ImgpipeSettings settings, PipelineMetrics metrics) {
    return create(stage, settings, metrics, null);
  }

  public static Behavior<Command> create(Stage stage, ImgpipeSettings settings, PipelineMetrics metrics,
      Quarantine quarantine) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(
        timers -> new StagePool(ctx, timers, stage, settings, metrics, quarantine)));
  }

  private final TimerScheduler<Command> timers;
  private final Stage stage;
  private final PipelineMetrics metrics;
  private final Quarantine quarantine;
  private final Cluster cluster;
  private final int queueLimit;
  private final Duration requestTimeout;
  private final Duration attemptTimeout;
  private final Duration acceptTimeout;
  private final long busyBackoffNanos;
  private final long suspectNanos;
  private final long remoteAfterNanos;
  private final long reserveAboveBytes;
  private final int maxFailures;
  private final int retriesAfterNodeLoss;
  private final long maxPayloadBytes;
  private final Slot[] slots;
  private final String selfMember;
  private final Set<String> unreachable = new HashSet<>();
  /** Other members that are leaving the cluster: their slots are being handed off. */
  private final Set<String> leaving = new HashSet<>();
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final Map<Long, Job> jobs = new HashMap<>();
  private long nextTicket = 1;
  private int nextSlot;
  /** When the pending tick timer fires (System.nanoTime), if one is pending. */
  private long tickAt;

  private StagePool(ActorContext<Command> ctx, TimerScheduler<Command> timers, Stage stage, ImgpipeSettings settings,
      PipelineMetrics metrics, Quarantine quarantine) {
    super(ctx);
    this.timers = timers;
    this.stage = stage;
    this.metrics = metrics;
    this.quarantine = quarantine;
    this.cluster = Cluster.get(ctx.getSystem());
    ImgpipeSettings.Pool pool = settings.pool(stage.role());
    this.queueLimit = pool.queue();
    this.requestTimeout = settings.timeouts().request();
    this.attemptTimeout = settings.timeouts().stageAttempt();
    this.acceptTimeout = settings.delivery().acceptTimeout();
    this.busyBackoffNanos = settings.delivery().busyBackoff().toNanos();
    this.suspectNanos = settings.delivery().suspectCooldown().toNanos();
    this.remoteAfterNanos = settings.delivery().remoteAfter().toNanos();
    this.reserveAboveBytes = settings.delivery().reserveAboveBytes();
    this.maxFailures = settings.timeouts().stageAttempts();
    this.retriesAfterNodeLoss = settings.poison().retriesAfterNodeLoss();
    this.maxPayloadBytes = maxPayloadBytes(ctx.getSystem().settings().config());
    ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
    this.slots = new Slot[pool.slots()];
    for (int i = 0; i < slots.length; i++) {
      slots[i] = new Slot(sharding.entityRefFor(StageSlot.typeKey(stage), StageSlot.slotId(stage, i)));
    }
    this.selfMember = cluster.selfMember().address().toString();
    cluster.subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.ReachabilityEvent.class, Reachability::new),
        ClusterEvent.ReachabilityEvent.class));
    cluster.subscriptions().tell(Subscribe.create(
        ctx.messageAdapter(ClusterEvent.MemberEvent.class, Membership::new), ClusterEvent.MemberEvent.class));
    metrics.queueDepth(stage).set(0);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Submit.class, this::onSubmit)
        .onMessage(StageSlot.Accepted.class, this::onAccepted)
        .onMessage(StageSlot.Rejected.class, this::onRejected)
        .onMessage(StageSlot.Started.class, this::onStarted)
        .onMessage(StageSlot.Done.class, this::onDone)
        .onMessage(StageOutputs.Missing.class, this::onMissing)
        .onMessage(AnswerTimeout.class, this::onAnswerTimeout)
        .onMessage(DeadlinePassed.class, this::onDeadline)
        .onMessage(Cancel.class, this::onCancel)
        .onMessage(GetState.class, this::onGetState)
        .onMessage(Reachability.class, this::onReachability)
        .onMessage(Membership.class, this::onMembership)
        .onMessage(ReleaseSlot.class, this::onReleaseSlot)
        .onMessageEquals(Tick.INSTANCE, this::onTick)
        .build();
  }

  // ---- accepting jobs

  private Behavior<Command> onSubmit(Submit s) {
    StageResult refusal = refusal(s);
    if (refusal != null) {
      metrics.jobOutcome(stage, refusal.status());
      s.replyTo().tell(refusal);
      return this;
    }
    boolean startsNow = queue.isEmpty() && freeSlot(System.nanoTime(), selfMember) >= 0;
    if (!startsNow && queue.size() >= queueLimit) {
      metrics.busyRejection(stage);
      metrics.jobOutcome(stage, StageResult.Status.BUSY);
      s.replyTo().tell(StageResult.failure(StageResult.Status.BUSY, stage.label() + " busy: all " + slots.length
          + " slots and " + queueLimit + " queued requests in use; retry later", 0, ""));
      return this;
    }
    Duration timeout = s.timeout() == null || s.timeout().compareTo(requestTimeout) > 0 ? requestTimeout : s.timeout();
    long now = System.nanoTime();
    ImagePayload.Held held = s.input() instanceof ImagePayload.Held h ? h : null;
    Job job = new Job(nextTicket++, s, now, now + timeout.toNanos(), held != null ? held.member() : selfMember);
    jobs.put(job.ticket, job);
    queue.addLast(job);
    timers.startSingleTimer(new TimerKey(TimerKind.DEADLINE, job.ticket), new DeadlinePassed(job.ticket),
        timeout.isNegative() ? Duration.ZERO : timeout);
    dispatch();
    return this;
  }

  /** The answer to a Submit that cannot be accepted at all, or null. */
  private StageResult refusal(Submit s) {
    if (s.job().stage() != stage) {
      return StageResult.failure(StageResult.Status.FAILED,
          "a " + s.job().stage().label() + " job was sent to the " + stage.label() + " pool", 0, "");
    }
    if (!anyUpWithRole()) {
      // Without a member of the role, sharding has nowhere to put a slot: say so instead of waiting.
      return StageResult.failure(StageResult.Status.FAILED,
          "no node with the " + stage.key() + " role is up in the cluster", 0, "");
    }
    if (s.input() instanceof ImagePayload.Held h && !isMember(h.member())) {
      return StageResult.failure(StageResult.Status.INPUT_LOST,
          "the image was held by node " + h.member() + ", which has left the cluster", 0, "");
    }
    if (quarantine != null && s.input() instanceof ImagePayload.Encoded e) {
      String refused = quarantine.refusal(e.bytes());
      if (refused != null) {
        return StageResult.failure(StageResult.Status.POISON, refused, 0, "");
      }
    }
    long size = s.input() == null ? 0 : s.input().sizeBytes();
    if (size > maxPayloadBytes && mayRunRemotely()) {
      return StageResult.failure(StageResult.Status.FAILED, "image too large to send to another node: " + size
          + " bytes (the cluster's frame limit allows " + maxPayloadBytes + ")", 0, "");
    }
    return null;
  }

  // ---- handing jobs to slots

  private void dispatch() {
    long now = System.nanoTime();
    long wake = Long.MAX_VALUE;
    while (!queue.isEmpty()) {
      Job head = queue.peekFirst();
      int s = freeSlot(now, head.inputMember);
      if (s < 0) {
        break;
      }
      // freeSlot offers a slot elsewhere only when none is free where the input is: the head of the queue
      // (the job that has waited longest) waits for one there until remote-after has passed.
      long localUntil = head.acceptedNanos + remoteAfterNanos;
      String at = slots[s].member;
      if (localUntil - now > 0 && at != null && !at.equals(head.inputMember) && knowsSlotOn(head.inputMember)) {
        wake = localUntil;
        break;
      }
      Job job = queue.pollFirst();
      job.sends++;
      job.slot = s;
      job.member = slots[s].member;
      slots[s].ticket = job.ticket;
      long size = job.submit.input() == null ? 0 : job.submit.input().sizeBytes();
      if (size > reserveAboveBytes) {
        // Reserve first: a large image travels only to a slot that has agreed to take it.
        job.phase = Phase.OFFERED;
        slots[s].ref.tell(new StageSlot.Reserve(job.ticket, job.sends, getContext().getSelf().narrow()));
        startAnswerTimer(job, acceptTimeout);
      } else {
        // A small image goes at once to a slot this pool believes free: one round trip less per stage.
        send(job, StageSlot.slotId(stage, s), false);
      }
    }
    metrics.queueDepth(stage).set(queue.size());
    if (!queue.isEmpty()) {
      for (Slot slot : slots) {
        if (slot.ticket == 0 && slot.coolUntil - now > 0) {
          wake = Math.min(wake, slot.coolUntil);
        }
      }
      // One timer, set for the earliest moment the queue could move without a slot answering.
      if (wake != Long.MAX_VALUE && (!timers.isTimerActive(TICK) || wake < tickAt)) {
        long delay = Math.max(1_000_000, wake - now);
        tickAt = now + delay;
        timers.startSingleTimer(TICK, Tick.INSTANCE, Duration.ofNanos(delay));
      }
    }
  }

  /**
   * A free slot, one on {@code preferred} (the member holding the job's input) first: there the image is
   * passed by reference, elsewhere it crosses the network (docs/performance.md). Slots whose node is not
   * known yet, or other nodes' slots, are taken when none is free there.
   */
  private int freeSlot(long now, String preferred) {
    int other = -1;
    for (int k = 0; k < slots.length; k++) {
      int i = (nextSlot + k) % slots.length;
      Slot slot = slots[i];
      if (slot.free(now) && (slot.member == null || !unreachable.contains(slot.member)
          && !leaving.contains(slot.member))) {
        if (preferred.equals(slot.member)) {
          nextSlot = (i + 1) % slots.length;
          return i;
        }
        if (other < 0) {
          other = i;
        }
      }
    }
    if (other >= 0) {
      nextSlot = (other + 1) % slots.length;
    }
    return other;
  }

  /** Some slot of this stage is known to live on {@code member}. */
  private boolean knowsSlotOn(String member) {
    for (Slot slot : slots) {
      if (member.equals(slot.member)) {
        return true;
      }
    }
    return false;
  }

  private Job current(long ticket, int attempt) {
    Job job = jobs.get(ticket);
    return job != null && job.sends == attempt && job.slot >= 0 ? job : null;
  }

  private Behavior<Command> onAccepted(StageSlot.Accepted a) {
    Job job = current(a.ticket(), a.attempt());
    if (job == null || job.phase != Phase.OFFERED) {
      return this;
    }
    job.member = a.member();
    slots[job.slot].member = a.member();
    if (unreachable.contains(a.member())) {
      failAttempt(job, "slot " + a.slotId() + " is on unreachable node " + a.member(), true);
      return this;
    }
    send(job, a.slotId(), true);
    return this;
  }

  /**
   * Sends the job's image to slot {@code slotId}: a held image from the node holding it (the slot says
   * when it has it), any other from here. {@code reserved}: the slot has reserved itself for this attempt.
   */
  private void send(Job job, String slotId, boolean reserved) {
    long remaining = Duration.ofNanos(job.deadlineNanos - System.nanoTime()).toMillis();
    boolean suspect = job.nodeLosses > 0;
    ImagePayload.Held held = job.held();
    ActorRef<StageSlot.Reply> self = getContext().getSelf().narrow();
    if (held != null) {
      job.phase = Phase.SENT;
      held.outputs().tell(new StageOutputs.Forward(held.key(), slotId, job.ticket, job.sends, job.submit.job(),
          remaining, job.submit.hold(), reserved, suspect, self));
    } else {
      job.phase = reserved ? Phase.RUNNING : Phase.SENT;
      slots[job.slot].ref.tell(new StageSlot.Work(job.ticket, job.sends, job.submit.job(), job.submit.input(),
          remaining, job.submit.hold(), reserved, !reserved, suspect, self));
    }
    // The slot may be working on it before this pool hears so (its Started can be lost with its node): from
    // here on the attempt counts as running, and a large image may queue behind others on a slow link.
    startAnswerTimer(job, attemptTimeout);
  }

  private Behavior<Command> onStarted(StageSlot.Started s) {
    Job job = current(s.ticket(), s.attempt());
    if (job != null && job.phase == Phase.SENT) {
      job.phase = Phase.RUNNING;
      job.member = s.member();
      slots[job.slot].member = s.member();
      if (unreachable.contains(s.member())) {
        nodeLost(job, s.member(), "slot " + s.slotId() + " is on unreachable node " + s.member());
      } else {
        startAnswerTimer(job, attemptTimeout);
      }
    }
    return this;
  }

  private Behavior<Command> onRejected(StageSlot.Rejected r) {
    Job job = current(r.ticket(), r.attempt());
    if (job == null) {
      return this;
    }
    timers.cancel(new TimerKey(TimerKind.ANSWER, job.ticket));
    int s = job.slot;
    release(s, job.ticket);
    job.slot = -1;
    job.phase = Phase.QUEUED;
    if (r.expired()) {
      answer(job, timeoutResult(job));
    } else {
      slots[s].coolUntil = System.nanoTime() + busyBackoffNanos;
      queue.addFirst(job);
    }
    dispatch();
    return this;
  }

  private Behavior<Command> onDone(StageSlot.Done d) {
    int s = slotIndex(d.slotId());
    if (s >= 0) {
      release(s, d.ticket());
      slots[s].coolUntil = 0;
    }
    Job job = jobs.get(d.ticket());
    if (job != null) {
      // A late answer of an earlier attempt is as good as the retry's: image work is idempotent.
      queue.remove(job);
      answer(job, d.result());
    }
    dispatch();
    return this;
  }

  private Behavior<Command> onMissing(StageOutputs.Missing m) {
    Job job = current(m.ticket(), m.attempt());
    if (job != null) {
      release(job.slot, job.ticket);
      job.slot = -1;
      answer(job, StageResult.failure(StageResult.Status.INPUT_LOST, "the image is no longer held by node "
          + job.inputMember + " (expired or released)", 0, ""));
      dispatch();
    }
    return this;
  }

  private Behavior<Command> onAnswerTimeout(AnswerTimeout t) {
    Job job = current(t.ticket(), t.attempt());
    if (job != null) {
      String slot = StageSlot.slotId(stage, job.slot);
      // An unanswered reservation sent no image and began no work: it uses none of the job's attempts (while
      // a lost node's slots move, every slot may stay silent for longer than attempts x accept-timeout); the
      // job's deadline still bounds the retries.
      boolean running = job.phase == Phase.RUNNING || job.phase == Phase.SENT;
      failAttempt(job, switch (job.phase) {
        case RUNNING -> "slot " + slot + " on " + job.member + " gave no result within " + attemptTimeout.toMillis() + " ms";
        case SENT -> "the image did not reach slot " + slot + " from " + job.inputMember + " in time";
        default -> "slot " + slot + " did not take the job within " + acceptTimeout.toMillis() + " ms";
      }, running);
    }
    return this;
  }

  /**
   * The slot of this attempt is lost (no answer, or its node is unreachable): retry elsewhere, bounded.
   * {@code counts} false: the attempt does not use one of the job's stage-attempts.
   */
  private void failAttempt(Job job, String reason, boolean counts) {
    timers.cancel(new TimerKey(TimerKind.ANSWER, job.ticket));
    int s = job.slot;
    release(s, job.ticket);
    slots[s].coolUntil = System.nanoTime() + suspectNanos;
    boolean held = job.phase == Phase.RUNNING || job.phase == Phase.SENT;
    job.slot = -1;
    job.phase = Phase.QUEUED;
    if (counts) {
      job.failures++;
    }
    job.lastError = reason;
    getContext().getLog().warn("{} job {} attempt {} failed: {}", stage.label(), job.ticket, job.sends, reason);
    if (job.failures >= maxFailures) {
      answer(job, StageResult.failure(StageResult.Status.FAILED, "no " + stage.key() + " slot could finish the job after "
          + job.failures + " attempts (last: " + reason + ")", 0, ""));
    } else if (job.held() != null && !isMember(job.inputMember)) {
      answer(job, StageResult.failure(StageResult.Status.INPUT_LOST, "the image was held by node " + job.inputMember
          + ", which is gone (" + reason + ")", 0, ""));
    } else {
      // Work a slot had taken is redone elsewhere (a retry); an offer no slot took, e.g. one that sharding
      // dropped while handing the slot off from a leaving node, is only made again (a re-offer).
      if (held) {
        metrics.retry(stage);
      } else {
        metrics.reoffer(stage);
      }
      queue.addFirst(job);
    }
    dispatch();
  }

  /**
   * The node running the job was lost. The job is suspect: it is run again, alone on its new node, at most
   * retries-after-node-loss times; one more loss makes it a poison job, which is failed and quarantined so
   * that it cannot take down another node.
   */
  private void nodeLost(Job job, String member, String reason) {
    job.nodeLosses++;
    if (job.nodeLosses > retriesAfterNodeLoss) {
      timers.cancel(new TimerKey(TimerKind.ANSWER, job.ticket));
      release(job.slot, job.ticket);
      job.slot = -1;
      String message = "nodes were lost " + job.nodeLosses + " times while working on this image (last: "
          + member + "); it is refused for "
          + (quarantine == null ? "a while" : quarantine.period().toMinutes() + " minutes") + " as a suspected poison input";
      metrics.poison(stage);
      getContext().getLog().warn("{} job {} is a suspected poison input: {} ({})", stage.label(), job.ticket, message,
          reason);
      if (quarantine != null && job.submit.input() instanceof ImagePayload.Encoded e) {
        quarantine.add(e.bytes(), stage.label() + " lost " + job.nodeLosses + " nodes on it");
      }
      answer(job, StageResult.failure(StageResult.Status.POISON, message, 0, ""));
      dispatch();
    } else if (job.held() != null && (member.equals(job.inputMember) || !isMember(job.inputMember))) {
      // The input went down with the node: only the sender can start again, from the client's bytes.
      timers.cancel(new TimerKey(TimerKind.ANSWER, job.ticket));
      release(job.slot, job.ticket);
      job.slot = -1;
      metrics.retry(stage);
      answer(job, StageResult.failure(StageResult.Status.NODE_LOST, reason + ", and the image was held there", 0, ""));
      dispatch();
    } else {
      failAttempt(job, reason, true);
    }
  }

  private Behavior<Command> onDeadline(DeadlinePassed d) {
    Job job = jobs.get(d.ticket());
    if (job != null) {
      queue.remove(job);
      // The slot, if one runs the job, stays counted as busy until it answers: the work really runs.
      answer(job, timeoutResult(job));
      dispatch();
    }
    return this;
  }

  private StageResult timeoutResult(Job job) {
    long waited = Duration.ofNanos(System.nanoTime() - job.acceptedNanos).toMillis();
    String where = job.phase == Phase.RUNNING ? "while running on " + StageSlot.slotId(stage, job.slot)
        : "waiting for a " + stage.key() + " slot";
    return StageResult.failure(StageResult.Status.TIMEOUT, "timed out after " + waited + " ms " + where, 0, "");
  }

  private Behavior<Command> onCancel(Cancel c) {
    for (Job job : jobs.values().toArray(new Job[0])) {
      if (job.submit.replyTo().equals(c.replyTo())) {
        queue.remove(job);
        forget(job);
        metrics.jobOutcome(stage, StageResult.Status.TIMEOUT);
      }
    }
    dispatch();
    return this;
  }

  private Behavior<Command> onGetState(GetState g) {
    int inFlight = 0;
    for (Slot slot : slots) {
      if (slot.ticket != 0) {
        inFlight++;
      }
    }
    g.replyTo().tell(new State(queue.size(), inFlight, slots.length, queueLimit));
    return this;
  }

  // ---- cluster events

  private Behavior<Command> onReachability(Reachability r) {
    String member = r.event().member().address().toString();
    if (r.event() instanceof ClusterEvent.UnreachableMember) {
      unreachable.add(member);
      lose(member, "node " + member + " became unreachable");
    } else if (r.event() instanceof ClusterEvent.ReachableMember) {
      unreachable.remove(member);
      dispatch();
    }
    return this;
  }

  private Behavior<Command> onMembership(Membership m) {
    String member = m.event().member().address().toString();
    if ((m.event() instanceof ClusterEvent.MemberLeft || m.event() instanceof ClusterEvent.MemberExited)
        && !selfMember.equals(member)) {
      // A leaving node hands its slots off: an offer sent there now could be dropped with the hand-off.
      // Its running jobs finish there (StageSlot.Stop waits for them); new jobs wait for the slots' new home,
      // learnt from their next answer once the node is removed.
      leaving.add(member);
    } else if (m.event() instanceof ClusterEvent.MemberRemoved) {
      lose(member, "node " + member + " left the cluster");
      unreachable.remove(member);
      leaving.remove(member);
      // Sharding moves the slots of a removed node; where they land is learnt from their next answer.
      for (Slot slot : slots) {
        if (member.equals(slot.member)) {
          slot.member = null;
          slot.coolUntil = 0;
        }
      }
      dispatch();
    }
    return this;
  }

  /** {@code member} is gone (or unreachable): its slots' attempts fail, and inputs it held are lost. */
  private void lose(String member, String reason) {
    for (Job job : jobs.values().toArray(new Job[0])) {
      if (!jobs.containsKey(job.ticket)) {
        continue;
      }
      if (job.slot >= 0 && member.equals(job.member)) {
        String why = "slot " + StageSlot.slotId(stage, job.slot) + ": " + reason;
        if (job.phase == Phase.RUNNING || job.phase == Phase.SENT) {
          nodeLost(job, member, why);
        } else {
          failAttempt(job, why, true);
        }
      } else if (job.held() != null && member.equals(job.inputMember) && job.phase != Phase.RUNNING) {
        queue.remove(job);
        if (job.slot >= 0) {
          timers.cancel(new TimerKey(TimerKind.ANSWER, job.ticket));
          release(job.slot, job.ticket);
          job.slot = -1;
        }
        answer(job, StageResult.failure(StageResult.Status.INPUT_LOST, "the image was held by " + reason, 0, ""));
      }
    }
    dispatch();
  }

  private boolean isMember(String member) {
    for (Member m : cluster.state().getMembers()) {
      if (m.address().toString().equals(member)) {
        return !unreachable.contains(member);
      }
    }
    return false;
  }

  private boolean anyUpWithRole() {
    for (Member m : cluster.state().getMembers()) {
      if (m.hasRole(stage.key()) && (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp())) {
        return true;
      }
    }
    return false;
  }

  /** True unless this node is the only Up member with the stage's role (then every slot is local). */
  private boolean mayRunRemotely() {
    if (!cluster.selfMember().hasRole(stage.key())) {
      return true;
    }
    for (Member m : cluster.state().getMembers()) {
      if (m.hasRole(stage.key()) && !m.equals(cluster.selfMember())) {
        return true;
      }
    }
    return false;
  }

  // ---- bookkeeping

  private Behavior<Command> onTick() {
    dispatch();
    return this;
  }

  private Behavior<Command> onReleaseSlot(ReleaseSlot r) {
    release(r.slot(), r.ticket());
    dispatch();
    return this;
  }

  private void startAnswerTimer(Job job, Duration after) {
    timers.startSingleTimer(new TimerKey(TimerKind.ANSWER, job.ticket), new AnswerTimeout(job.ticket, job.sends), after);
  }

  private void answer(Job job, StageResult result) {
    forget(job);
    metrics.jobOutcome(stage, result.status());
    job.submit.replyTo().tell(result);
  }

  private void forget(Job job) {
    timers.cancel(new TimerKey(TimerKind.ANSWER, job.ticket));
    timers.cancel(new TimerKey(TimerKind.DEADLINE, job.ticket));
    jobs.remove(job.ticket);
    if (job.slot >= 0 && slots[job.slot].ticket == job.ticket) {
      // Dropped while a slot still works on it: keep the slot counted until it answers, but not forever.
      timers.startSingleTimer(new TimerKey(TimerKind.RELEASE, job.ticket), new ReleaseSlot(job.slot, job.ticket),
          attemptTimeout);
    }
  }

  private void release(int slot, long ticket) {
    if (slot >= 0 && slots[slot].ticket == ticket) {
      slots[slot].ticket = 0;
    }
  }

  /** The largest image a job or result may carry between nodes: the large-message frame less headroom. */
  static long maxPayloadBytes(Config config) {
    return config.getBytes("akka.remote.artery.advanced.maximum-large-frame-size") - 64 * 1024;
  }

  private int slotIndex(String slotId) {
    try {
      int i = Integer.parseInt(slotId.substring(slotId.lastIndexOf('-') + 1));
      return i >= 0 && i < slots.length ? i : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
