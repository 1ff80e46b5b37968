package org.imgpipe.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import akka.actor.typed.receptionist.Receptionist;
import akka.actor.typed.receptionist.ServiceKey;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imgpipe.config.ImgpipeSettings;

/**
 * The status of the jobs orchestrated on this node. Each node keeps its own jobs (written only by its
 * orchestrators, so there is nothing to merge); a lookup of an id this node does not know asks the
 * ledgers of the other nodes, found through the receptionist. Finished jobs are kept for a bounded time
 * and count (imgpipe.jobs).
 */
public final class JobLedger extends AbstractBehavior<JobLedger.Command> {

  public interface Command {}

  /** A new state of a job of this node. */
  public record Update(JobStatus status) implements Command {}

  /** get_processing_status: answers the job's status, from this node or another, or "unknown". */
  public record Get(String processId, ActorRef<JobStatus> replyTo) implements Command {}

  /** Asked by another node's ledger: answers what this node knows (an "unknown" status if nothing). */
  public record Lookup(String processId, ActorRef<Found> replyTo) implements Command, PipelineSerializer.Wire {}

  public record Found(JobStatus status) implements PipelineSerializer.Wire {}

  /** Every job this node holds (running and finished, not yet expired), for the panel and tests. */
  public record ListJobs(ActorRef<List<JobStatus>> replyTo) implements Command {}

  private record Peers(Receptionist.Listing listing) implements Command {}

  private enum Sweep implements Command { INSTANCE }

  public static final ServiceKey<Command> KEY = ServiceKey.create(Command.class, "imgpipe-job-ledger");

  private record Entry(JobStatus status, long finishedNanos) {}

  public static Behavior<Command> create(ImgpipeSettings settings) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new JobLedger(ctx, timers, settings)));
  }

  private final long retentionNanos;
  private final int maxFinished;
  private final Duration lookupTimeout;
  private final Map<String, Entry> entries = new HashMap<>();
  private final ArrayDeque<String> finishedOrder = new ArrayDeque<>();
  private Set<ActorRef<Command>> peers = new HashSet<>();

  private JobLedger(ActorContext<Command> ctx, TimerScheduler<Command> timers, ImgpipeSettings settings) {
    super(ctx);
    this.retentionNanos = settings.jobs().retention().toNanos();
    this.maxFinished = settings.jobs().maxFinished();
    this.lookupTimeout = settings.jobs().lookupTimeout();
    ctx.getSystem().receptionist().tell(Receptionist.register(KEY, ctx.getSelf()));
    ctx.getSystem().receptionist().tell(Receptionist.subscribe(KEY,
        ctx.messageAdapter(Receptionist.Listing.class, Peers::new)));
    Duration sweep = settings.jobs().retention().dividedBy(4);
    if (sweep.compareTo(Duration.ofMillis(50)) < 0) {
      sweep = Duration.ofMillis(50);
    } else if (sweep.compareTo(Duration.ofSeconds(10)) > 0) {
      sweep = Duration.ofSeconds(10);
    }
    timers.startTimerWithFixedDelay(Sweep.INSTANCE, sweep);
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Update.class, this::onUpdate)
        .onMessage(Get.class, this::onGet)
        .onMessage(Lookup.class, this::onLookup)
        .onMessage(ListJobs.class, this::onListJobs)
        .onMessage(Peers.class, this::onPeers)
        .onMessageEquals(Sweep.INSTANCE, this::onSweep)
        .build();
  }

  private Behavior<Command> onUpdate(Update u) {
    JobStatus s = u.status();
    Entry before = entries.get(s.processId());
    if (before != null && before.status().finished()) {
      return this; // a finished job does not change any more
    }
    if (s.finished()) {
      entries.put(s.processId(), new Entry(s, System.nanoTime()));
      finishedOrder.addLast(s.processId());
      while (finishedOrder.size() > maxFinished) {
        entries.remove(finishedOrder.pollFirst());
      }
    } else {
      entries.put(s.processId(), new Entry(s, 0));
    }
    return this;
  }

  private JobStatus local(String processId) {
    Entry e = entries.get(processId);
    if (e == null || (e.status().finished() && System.nanoTime() - e.finishedNanos() > retentionNanos)) {
      return null;
    }
    return e.status();
  }

  private Behavior<Command> onGet(Get g) {
    JobStatus s = local(g.processId());
    if (s != null) {
      g.replyTo().tell(s);
      return this;
    }
    Set<ActorRef<Command>> others = new HashSet<>(peers);
    others.remove(getContext().getSelf());
    if (others.isEmpty()) {
      g.replyTo().tell(JobStatus.unknown(g.processId()));
    } else {
      getContext().spawnAnonymous(StatusLookup.create(g.processId(), others, g.replyTo(), lookupTimeout));
    }
    return this;
  }

  private Behavior<Command> onLookup(Lookup l) {
    JobStatus s = local(l.processId());
    l.replyTo().tell(new Found(s != null ? s : JobStatus.unknown(l.processId())));
    return this;
  }

  private Behavior<Command> onListJobs(ListJobs l) {
    List<JobStatus> out = new ArrayList<>();
    for (String id : entries.keySet()) {
      JobStatus s = local(id);
      if (s != null) {
        out.add(s);
      }
    }
    l.replyTo().tell(List.copyOf(out));
    return this;
  }

  private Behavior<Command> onPeers(Peers p) {
    peers = new HashSet<>(p.listing().getServiceInstances(KEY));
    return this;
  }

  private Behavior<Command> onSweep() {
    long now = System.nanoTime();
    while (!finishedOrder.isEmpty()) {
      String id = finishedOrder.peekFirst();
      Entry e = entries.get(id);
      if (e != null && now - e.finishedNanos() <= retentionNanos) {
        break;
      }
      finishedOrder.pollFirst();
      if (e != null) {
        entries.remove(id);
      }
    }
    return this;
  }

  /** Asks the other ledgers for one id; answers the first known status, or unknown when all said no or time ran out. */
  static final class StatusLookup {
    private enum Timeout implements Command { INSTANCE }

    private record Answer(Found found) implements Command {}

    static Behavior<Command> create(String processId, Set<ActorRef<Command>> ledgers, ActorRef<JobStatus> replyTo,
        Duration timeout) {
      return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
        ActorRef<Found> adapter = ctx.messageAdapter(Found.class, Answer::new);
        for (ActorRef<Command> ledger : ledgers) {
          ledger.tell(new Lookup(processId, adapter));
        }
        timers.startSingleTimer(Timeout.INSTANCE, timeout);
        int[] pending = {ledgers.size()};
        return Behaviors.receive(Command.class)
            .onMessage(Answer.class, a -> {
              pending[0]--;
              if (a.found().status().known() || pending[0] == 0) {
                replyTo.tell(a.found().status().known() ? a.found().status() : JobStatus.unknown(processId));
                return Behaviors.stopped();
              }
              return Behaviors.same();
            })
            .onMessageEquals(Timeout.INSTANCE, () -> {
              replyTo.tell(JobStatus.unknown(processId));
              return Behaviors.stopped();
            })
            .build();
      }));
    }
  }
}
