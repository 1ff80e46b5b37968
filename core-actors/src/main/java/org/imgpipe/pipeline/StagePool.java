package org.imgpipe.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.cluster.ClusterEvent;
import akka.cluster.MemberStatus;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.sharding.typed.javadsl.EntityRef;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;
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
 */
public final class StagePool extends AbstractBehavior<StagePool.Command> {

  /** Messages a pool understands. */
  public interface Command {}

  /**
   * Run a job on this stage's pool. {@code timeout} (null = the configured request deadline) bounds the
   * whole wait: queueing, every attempt and the work.
   */
  public record Submit(StageJob job, ImagePayload input, ActorRef<StageResult> replyTo, Duration timeout)
      implements Command {
    public Submit(StageJob job, ImagePayload input, ActorRef<StageResult> replyTo) {
      this(job, input, replyTo, null);
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

  private record TimerKey(String kind, long ticket) {}

  /** One accepted job until it is answered. */
  private static final class Job {
    final long ticket;
    final Submit submit;
    final long acceptedNanos;
    final long deadlineNanos;
    int sends;
    int failures;
    int slot = -1;
    String member;
    boolean running;
    String lastError = "";

    Job(long ticket, Submit submit, long acceptedNanos, long deadlineNanos) {
      this.ticket = ticket;
      this.submit = submit;
      this.acceptedNanos = acceptedNanos;
      this.deadlineNanos = deadlineNanos;
    }
  }

  public static Behavior<Command> create(Stage stage, ImgpipeSettings settings, PipelineMetrics metrics) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new StagePool(ctx, timers, stage, settings, metrics)));
  }

  private final TimerScheduler<Command> timers;
  private final Stage stage;
  private final PipelineMetrics metrics;
  private final int slots;
  private final int queueLimit;
  private final Duration requestTimeout;
  private final Duration attemptTimeout;
  private final Duration acceptTimeout;
  private final long busyBackoffNanos;
  private final long suspectNanos;
  private final long remoteAfterNanos;
  private final int maxFailures;
  private final long maxPayloadBytes;
  private final EntityRef<StageSlot.Command>[] slotRefs;
  private final long[] slotTicket;
  private final long[] slotCoolUntil;
  private final String[] slotMember;
  private final String selfMember;
  private final Set<String> unreachable = new HashSet<>();
  /** Other members that are leaving the cluster: their slots are being handed off. */
  private final Set<String> leaving = new HashSet<>();
  private final ArrayDeque<Job> queue = new ArrayDeque<>();
  private final Map<Long, Job> jobs = new HashMap<>();
  private long nextTicket = 1;
  private int nextSlot;
  /** When the pending "tick" timer fires (System.nanoTime), if one is pending. */
  private long tickAt;

  @SuppressWarnings("unchecked")
  private StagePool(ActorContext<Command> ctx, TimerScheduler<Command> timers, Stage stage, ImgpipeSettings settings,
      PipelineMetrics metrics) {
    super(ctx);
    this.timers = timers;
    this.stage = stage;
    this.metrics = metrics;
    ImgpipeSettings.Pool pool = settings.pool(stage.role());
    this.slots = pool.slots();
    this.queueLimit = pool.queue();
    this.requestTimeout = settings.timeouts().request();
    this.attemptTimeout = settings.timeouts().stageAttempt();
    this.acceptTimeout = settings.delivery().acceptTimeout();
    this.busyBackoffNanos = settings.delivery().busyBackoff().toNanos();
    this.suspectNanos = settings.delivery().suspectCooldown().toNanos();
    this.remoteAfterNanos = settings.delivery().remoteAfter().toNanos();
    this.maxFailures = settings.timeouts().stageAttempts();
    this.maxPayloadBytes = maxPayloadBytes(ctx.getSystem().settings().config());
    ClusterSharding sharding = ClusterSharding.get(ctx.getSystem());
    this.slotRefs = new EntityRef[slots];
    for (int i = 0; i < slots; i++) {
      slotRefs[i] = sharding.entityRefFor(StageSlot.typeKey(stage), StageSlot.slotId(stage, i));
    }
    this.slotTicket = new long[slots];
    this.slotCoolUntil = new long[slots];
    this.slotMember = new String[slots];
    this.selfMember = Cluster.get(ctx.getSystem()).selfMember().address().toString();
    Cluster cluster = Cluster.get(ctx.getSystem());
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
        .onMessage(StageSlot.Done.class, this::onDone)
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

  private Behavior<Command> onSubmit(Submit s) {
    if (s.job().stage() != stage) {
      s.replyTo().tell(StageResult.failure(StageResult.Status.FAILED,
          "a " + s.job().stage().label() + " job was sent to the " + stage.label() + " pool", 0, ""));
      return this;
    }
    if (!anyUpWithRole()) {
      // Without a member of the role, sharding has nowhere to put a slot: say so instead of waiting.
      metrics.jobOutcome(stage, StageResult.Status.FAILED);
      s.replyTo().tell(StageResult.failure(StageResult.Status.FAILED,
          "no node with the " + stage.key() + " role is up in the cluster", 0, ""));
      return this;
    }
    long size = s.input() == null ? 0 : s.input().sizeBytes();
    if (size > maxPayloadBytes && mayRunRemotely()) {
      metrics.jobOutcome(stage, StageResult.Status.FAILED);
      s.replyTo().tell(StageResult.failure(StageResult.Status.FAILED, "image too large to send to another node: "
          + size + " bytes (the cluster's frame limit allows " + maxPayloadBytes + ")", 0, ""));
      return this;
    }
    boolean startsNow = queue.isEmpty() && freeSlot(System.nanoTime()) >= 0;
    if (!startsNow && queue.size() >= queueLimit) {
      metrics.busyRejection(stage);
      metrics.jobOutcome(stage, StageResult.Status.BUSY);
      s.replyTo().tell(StageResult.failure(StageResult.Status.BUSY, stage.label() + " busy: all " + slots
          + " slots and " + queueLimit + " queued requests in use; retry later", 0, ""));
      return this;
    }
    Duration timeout = s.timeout() == null || s.timeout().compareTo(requestTimeout) > 0 ? requestTimeout : s.timeout();
    long now = System.nanoTime();
    Job job = new Job(nextTicket++, s, now, now + timeout.toNanos());
    jobs.put(job.ticket, job);
    queue.addLast(job);
    timers.startSingleTimer(new TimerKey("deadline", job.ticket), new DeadlinePassed(job.ticket),
        timeout.isNegative() ? Duration.ZERO : timeout);
    dispatch();
    return this;
  }

  private void dispatch() {
    long now = System.nanoTime();
    long wake = Long.MAX_VALUE;
    while (!queue.isEmpty()) {
      int s = freeSlot(now);
      if (s < 0) {
        break;
      }
      // freeSlot offers another node's slot only when none of this node's is free: the head of the queue
      // (the job that has waited longest) waits for one of ours until remote-after has passed.
      long localUntil = queue.peekFirst().acceptedNanos + remoteAfterNanos;
      if (localUntil > now && isRemote(s) && holdsLocalSlot()) {
        wake = localUntil;
        break;
      }
      Job job = queue.pollFirst();
      job.sends++;
      job.slot = s;
      job.member = null;
      job.running = false;
      slotTicket[s] = job.ticket;
      // Reserve first: the image travels only to a slot that has agreed to take it.
      slotRefs[s].tell(new StageSlot.Reserve(job.ticket, job.sends, getContext().getSelf().narrow()));
      timers.startSingleTimer(new TimerKey("answer", job.ticket), new AnswerTimeout(job.ticket, job.sends),
          acceptTimeout);
    }
    metrics.queueDepth(stage).set(queue.size());
    if (!queue.isEmpty()) {
      for (int i = 0; i < slots; i++) {
        if (slotTicket[i] == 0 && slotCoolUntil[i] > now) {
          wake = Math.min(wake, slotCoolUntil[i]);
        }
      }
      // One timer, set for the earliest moment the queue could move without a slot answering.
      if (wake != Long.MAX_VALUE && (!timers.isTimerActive("tick") || wake < tickAt)) {
        long delay = Math.max(1_000_000, wake - now);
        tickAt = now + delay;
        timers.startSingleTimer("tick", Tick.INSTANCE, Duration.ofNanos(delay));
      }
    }
  }

  /** Slot {@code s} is known to live on another node. */
  private boolean isRemote(int s) {
    return slotMember[s] != null && !selfMember.equals(slotMember[s]);
  }

  /** Some slot of this stage is known to live on this node. */
  private boolean holdsLocalSlot() {
    for (String m : slotMember) {
      if (selfMember.equals(m)) {
        return true;
      }
    }
    return false;
  }

  private boolean anyUpWithRole() {
    for (akka.cluster.Member m : Cluster.get(getContext().getSystem()).state().getMembers()) {
      if (m.hasRole(stage.key()) && (m.status() == MemberStatus.up() || m.status() == MemberStatus.weaklyUp())) {
        return true;
      }
    }
    return false;
  }

  /** True unless this node is the only Up member with the stage's role (then every slot is local). */
  private boolean mayRunRemotely() {
    Cluster cluster = Cluster.get(getContext().getSystem());
    if (!cluster.selfMember().hasRole(stage.key())) {
      return true;
    }
    for (akka.cluster.Member m : cluster.state().getMembers()) {
      if (m.hasRole(stage.key()) && !m.equals(cluster.selfMember())) {
        return true;
      }
    }
    return false;
  }

  /**
   * A free slot, one on this node first: a local slot gets the image by reference, a remote one
   * through serialisation and the network (docs/performance.md, scaling). Slots whose node is not
   * known yet, or other nodes' slots, are taken when no local slot is free.
   */
  private int freeSlot(long now) {
    int other = -1;
    for (int k = 0; k < slots; k++) {
      int i = (nextSlot + k) % slots;
      if (slotTicket[i] == 0 && slotCoolUntil[i] <= now
          && (slotMember[i] == null || !unreachable.contains(slotMember[i]) && !leaving.contains(slotMember[i]))) {
        if (selfMember.equals(slotMember[i])) {
          nextSlot = (i + 1) % slots;
          return i;
        }
        if (other < 0) {
          other = i;
        }
      }
    }
    if (other >= 0) {
      nextSlot = (other + 1) % slots;
    }
    return other;
  }

  private Job current(long ticket, int attempt) {
    Job job = jobs.get(ticket);
    return job != null && job.sends == attempt && job.slot >= 0 ? job : null;
  }

  private Behavior<Command> onAccepted(StageSlot.Accepted a) {
    Job job = current(a.ticket(), a.attempt());
    if (job == null) {
      return this;
    }
    job.member = a.member();
    job.running = true;
    slotMember[job.slot] = a.member();
    if (unreachable.contains(a.member())) {
      failAttempt(job, "slot " + a.slotId() + " is on unreachable node " + a.member());
    } else {
      long remaining = Duration.ofNanos(job.deadlineNanos - System.nanoTime()).toMillis();
      slotRefs[job.slot].tell(new StageSlot.Work(job.ticket, job.sends, job.submit.job(), job.submit.input(),
          remaining, getContext().getSelf().narrow()));
      timers.startSingleTimer(new TimerKey("answer", job.ticket), new AnswerTimeout(job.ticket, job.sends),
          attemptTimeout);
    }
    return this;
  }

  private Behavior<Command> onRejected(StageSlot.Rejected r) {
    Job job = current(r.ticket(), r.attempt());
    if (job == null) {
      return this;
    }
    timers.cancel(new TimerKey("answer", job.ticket));
    int s = job.slot;
    release(s, job.ticket);
    job.slot = -1;
    if (r.expired()) {
      answer(job, timeoutResult(job));
    } else {
      slotCoolUntil[s] = System.nanoTime() + busyBackoffNanos;
      queue.addFirst(job);
    }
    dispatch();
    return this;
  }

  private Behavior<Command> onDone(StageSlot.Done d) {
    int s = slotIndex(d.slotId());
    if (s >= 0) {
      release(s, d.ticket());
      slotCoolUntil[s] = 0;
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

  private Behavior<Command> onAnswerTimeout(AnswerTimeout t) {
    Job job = current(t.ticket(), t.attempt());
    if (job != null) {
      String slot = StageSlot.slotId(stage, job.slot);
      // An unanswered reservation sent no image and began no work: it uses none of the job's attempts (while
      // a lost node's slots move, every slot may stay silent for longer than attempts x accept-timeout); the
      // job's deadline still bounds the retries.
      failAttempt(job, job.running
          ? "slot " + slot + " on " + job.member + " gave no result within " + attemptTimeout.toMillis() + " ms"
          : "slot " + slot + " did not take the job within " + acceptTimeout.toMillis() + " ms", job.running);
    }
    return this;
  }

  /** The slot of this attempt is lost (no answer, or its node is unreachable): retry elsewhere, bounded. */
  private void failAttempt(Job job, String reason) {
    failAttempt(job, reason, true);
  }

  /** As above; {@code counts} false: the attempt does not use one of the job's stage-attempts. */
  private void failAttempt(Job job, String reason, boolean counts) {
    timers.cancel(new TimerKey("answer", job.ticket));
    int s = job.slot;
    release(s, job.ticket);
    slotCoolUntil[s] = System.nanoTime() + suspectNanos;
    boolean held = job.running;
    job.slot = -1;
    job.running = false;
    if (counts) {
      job.failures++;
    }
    job.lastError = reason;
    getContext().getLog().warn("{} job {} attempt {} failed: {}", stage.label(), job.ticket, job.sends, reason);
    if (job.failures >= maxFailures) {
      answer(job, StageResult.failure(StageResult.Status.FAILED, "no " + stage.key() + " slot could finish the job after "
          + job.failures + " attempts (last: " + reason + ")", 0, ""));
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
    String where = job.running ? "while running on " + StageSlot.slotId(stage, job.slot) : "waiting for a " + stage.key() + " slot";
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
    for (long t : slotTicket) {
      if (t != 0) {
        inFlight++;
      }
    }
    g.replyTo().tell(new State(queue.size(), inFlight, slots, queueLimit));
    return this;
  }

  private Behavior<Command> onReachability(Reachability r) {
    String member = r.event().member().address().toString();
    if (r.event() instanceof ClusterEvent.UnreachableMember) {
      unreachable.add(member);
      failJobsOn(member, "node " + member + " became unreachable");
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
      failJobsOn(member, "node " + member + " left the cluster");
      unreachable.remove(member);
      leaving.remove(member);
      // Sharding moves the slots of a removed node; where they land is learnt from their next answer.
      for (int i = 0; i < slots; i++) {
        if (member.equals(slotMember[i])) {
          slotMember[i] = null;
          slotCoolUntil[i] = 0;
        }
      }
      dispatch();
    }
    return this;
  }

  private void failJobsOn(String member, String reason) {
    for (Job job : jobs.values().toArray(new Job[0])) {
      if (job.slot >= 0 && member.equals(job.member)) {
        failAttempt(job, "slot " + StageSlot.slotId(stage, job.slot) + ": " + reason);
      }
    }
  }

  private Behavior<Command> onTick() {
    dispatch();
    return this;
  }

  private Behavior<Command> onReleaseSlot(ReleaseSlot r) {
    release(r.slot(), r.ticket());
    dispatch();
    return this;
  }

  private void answer(Job job, StageResult result) {
    forget(job);
    metrics.jobOutcome(stage, result.status());
    job.submit.replyTo().tell(result);
  }

  private void forget(Job job) {
    cancelTimers(job.ticket);
    jobs.remove(job.ticket);
    if (job.slot >= 0 && slotTicket[job.slot] == job.ticket) {
      // Dropped while a slot still works on it: keep the slot counted until it answers, but not forever.
      timers.startSingleTimer(new TimerKey("release", job.ticket), new ReleaseSlot(job.slot, job.ticket),
          attemptTimeout);
    }
  }

  private void cancelTimers(long ticket) {
    timers.cancel(new TimerKey("answer", ticket));
    timers.cancel(new TimerKey("deadline", ticket));
  }

  private void release(int slot, long ticket) {
    if (slot >= 0 && slotTicket[slot] == ticket) {
      slotTicket[slot] = 0;
    }
  }

  /** The largest image a job or result may carry between nodes: the large-message frame less headroom. */
  static long maxPayloadBytes(com.typesafe.config.Config config) {
    return config.getBytes("akka.remote.artery.advanced.maximum-large-frame-size") - 64 * 1024;
  }

  private int slotIndex(String slotId) {
    try {
      int i = Integer.parseInt(slotId.substring(slotId.lastIndexOf('-') + 1));
      return i >= 0 && i < slots ? i : -1;
    } catch (RuntimeException e) {
      return -1;
    }
  }
}
