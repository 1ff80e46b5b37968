package org.imgpipe.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.PostStop;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.actor.typed.javadsl.TimerScheduler;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;

/**
 * One process_image call (the shape of StatsAggregator in Akka's cluster sample): it sends the image
 * through the Resize, Filter (once per filter, in order), Watermark and Format pools one after another,
 * keeps the image decoded between stages, reports every state to the job ledger, answers once and stops.
 * The request's deadline (conf, or timeout_ms if shorter) bounds the whole run.
 *
 * <p>With {@code imgpipe.delivery.direct} a stage's decoded result stays on the node whose slot made it
 * and this actor only gets a reference ({@link ImagePayload.Held}), which it passes to the next stage's
 * pool and releases once that stage is done. If a node holding the image is lost, the run starts again
 * from the client's bytes (at most {@link #MAX_RESTARTS} times, within the deadline); a stage that lost
 * its node more often than {@code imgpipe.poison} allows fails the request and quarantines its image.
 */
final class Orchestrator extends AbstractBehavior<Orchestrator.Command> {

  interface Command {}

  private record StageDone(StageResult result) implements Command {}

  private enum Deadline implements Command { INSTANCE }

  /** One planned stage call; {@code hold}: its decoded result may stay where it was made. */
  private record Step(Stage stage, StageJob job, String hostKey, String status, String failPrefix, boolean hold) {}

  /** Runs started again from the client's bytes after a node holding the image was lost. */
  static final int MAX_RESTARTS = 3;

  static Behavior<Command> create(String processId, Orchestration.Process request,
      Map<Stage, ActorRef<StagePool.Command>> pools, ActorRef<JobLedger.Command> ledger, ImgpipeSettings settings,
      Quarantine quarantine) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> {
      Orchestrator o = new Orchestrator(ctx, timers, processId, request, pools, ledger, settings, quarantine);
      // A request refused before its first stage has been answered already.
      return o.finished ? Behaviors.stopped() : o;
    }));
  }

  private final String processId;
  private final Orchestration.Process request;
  private final Map<Stage, ActorRef<StagePool.Command>> pools;
  private final ActorRef<JobLedger.Command> ledger;
  private final Quarantine quarantine;
  private final int retriesAfterNodeLoss;
  /** Per step: how often a node was lost while running it, over every run of this request. */
  private int[] nodeLosses;
  private int restarts;
  private final String self;
  private final ActorRef<StageResult> stageReplies;
  private final List<Step> steps;
  private final long startNanos = System.nanoTime();
  private final long deadlineNanos;
  private final Duration timeout;
  private final Map<String, String> hostMap = new LinkedHashMap<>();
  private Long resizeMs;
  private Long filterMs;
  private Long watermarkMs;
  private Long formatMs;
  private ImagePayload image;
  /** Each finished stage with its work time and node, for the request's log line. */
  private final StringBuilder trail = new StringBuilder();
  private int next;
  private boolean finished;

  private Orchestrator(ActorContext<Command> ctx, TimerScheduler<Command> timers, String processId,
      Orchestration.Process request, Map<Stage, ActorRef<StagePool.Command>> pools,
      ActorRef<JobLedger.Command> ledger, ImgpipeSettings settings, Quarantine quarantine) {
    super(ctx);
    this.quarantine = quarantine;
    this.retriesAfterNodeLoss = settings.poison().retriesAfterNodeLoss();
    this.processId = processId;
    this.request = request;
    this.pools = pools;
    this.ledger = ledger;
    this.self = settings.serviceAddress(Role.ORCHESTRATOR);
    this.stageReplies = ctx.messageAdapter(StageResult.class, StageDone::new);
    ProcessOptions o = request.options() == null ? ProcessOptions.defaults() : request.options();
    Duration conf = settings.timeouts().request();
    this.timeout = o.hasTimeout() && Duration.ofMillis(o.timeoutMs()).compareTo(conf) < 0
        ? Duration.ofMillis(o.timeoutMs()) : conf;
    this.deadlineNanos = startNanos + timeout.toNanos();
    this.image = new ImagePayload.Encoded(request.image() == null ? new byte[0] : request.image());
    this.steps = plan(o, settings.delivery().direct());
    this.nodeLosses = new int[steps.size()];

    ctx.getLog().debug("[Orchestrator] Processing {} (process_id={}, {} stages, deadline {} ms)",
        request.filename(), processId, steps.size(), timeout.toMillis());
    ImgpipeSettings.Limits limits = settings.limits();
    if (o.filters().size() > limits.maxFiltersPerRequest()) {
      fail("too many filters: " + o.filters().size() + " (at most " + limits.maxFiltersPerRequest() + " per request)",
          null);
      return;
    }
    if (o.addWatermark() && o.watermarkText().length() > limits.maxWatermarkTextChars()) {
      fail("watermark text too long: " + o.watermarkText().length() + " characters (at most "
          + limits.maxWatermarkTextChars() + ")", null);
      return;
    }
    String refused = quarantine == null ? null : quarantine.refusal(request.image());
    if (refused != null) {
      fail(refused, null);
      return;
    }
    if (!o.resizeEnabled()) {
      resizeMs = 0L;
    }
    if (o.filters().isEmpty()) {
      filterMs = 0L;
    }
    if (!o.addWatermark()) {
      watermarkMs = 0L;
    }
    report(JobStatus.QUEUED, "queued");
    timers.startSingleTimer(Deadline.INSTANCE, timeout);
    submitNext();
  }

  private static List<Step> plan(ProcessOptions o, boolean direct) {
    List<Step> steps = new ArrayList<>();
    // Every stage before Format hands a decoded image on; Format's answer is the encoded result.
    if (o.resizeEnabled()) {
      steps.add(new Step(Stage.RESIZE, new StageJob.Resize(o.targetWidth(), o.targetHeight(),
          o.maintainAspectRatio(), false), "Resize", JobStatus.RESIZING, "Resize failed: ", direct));
    }
    for (int i = 0; i < o.filters().size(); i++) {
      String name = o.filters().get(i);
      steps.add(new Step(Stage.FILTER,
          new StageJob.Filter(List.of(new StageJob.FilterStep(name, o.filterIntensity())), false),
          "Filter-" + (i + 1) + " (" + name + ")", JobStatus.FILTERING, "Filter " + name + " failed: ", direct));
    }
    if (o.addWatermark()) {
      steps.add(new Step(Stage.WATERMARK, new StageJob.TextWatermark(o.watermarkText(), o.watermarkPosition(),
          o.watermarkFontSize(), o.watermarkColor(), o.watermarkOpacity(), false),
          "Watermark", JobStatus.WATERMARKING, "Watermark failed: ", direct));
    }
    steps.add(new Step(Stage.FORMAT, new StageJob.Format(o.outputFormat(), o.effectiveQuality()),
        "Format", JobStatus.FORMATTING, "Format failed: ", false));
    return steps;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(StageDone.class, this::onStageDone)
        .onMessageEquals(Deadline.INSTANCE, this::onDeadline)
        .onSignal(PostStop.class, s -> onPostStop())
        .build();
  }

  private void submitNext() {
    Step step = steps.get(next);
    report(step.status(), step.hostKey());
    Duration remaining = Duration.ofNanos(Math.max(0, deadlineNanos - System.nanoTime()));
    pools.get(step.stage()).tell(new StagePool.Submit(step.job(), image, stageReplies, remaining, step.hold(),
        nodeLosses[next]));
  }

  private Behavior<Command> onStageDone(StageDone d) {
    if (finished) {
      return Behaviors.stopped();
    }
    Step step = steps.get(next);
    StageResult r = d.result();
    if (!r.node().isEmpty()) {
      hostMap.put(step.hostKey(), r.node());
    }
    if (r.ok() || r.workMillis() > 0) {
      addTime(step.stage(), r.workMillis());
    }
    if (r.status() == StageResult.Status.NODE_LOST) {
      nodeLosses[next]++;
    }
    if (r.status() == StageResult.Status.POISON || r.status() == StageResult.Status.NODE_LOST
        && nodeLosses[next] > retriesAfterNodeLoss) {
      String message = r.status() == StageResult.Status.POISON ? r.message()
          : "nodes were lost " + nodeLosses[next] + " times while working on this image (last: " + r.message()
              + "); it is refused as a suspected poison input";
      if (quarantine != null) {
        quarantine.add(request.image(), step.hostKey() + " lost " + Math.max(nodeLosses[next], 1) + " nodes on it");
      }
      fail(step.failPrefix() + message, step);
      return Behaviors.stopped();
    }
    if ((r.status() == StageResult.Status.INPUT_LOST || r.status() == StageResult.Status.NODE_LOST)
        && restarts < MAX_RESTARTS) {
      // The node holding the image is gone: start again from the client's bytes.
      restarts++;
      getContext().getLog().warn("[Orchestrator] {} during {}: starting again from the client's image ({}/{})",
          r.message(), step.hostKey(), restarts, MAX_RESTARTS);
      releaseHeld();
      image = new ImagePayload.Encoded(request.image() == null ? new byte[0] : request.image());
      trail.append(trail.length() == 0 ? "" : ", ").append("restart");
      next = 0;
      submitNext();
      return this;
    }
    if (!r.ok()) {
      String message = r.status() == StageResult.Status.BUSY ? r.message() : step.failPrefix() + r.message();
      fail(message, step);
      return Behaviors.stopped();
    }
    getContext().getLog().debug("   {} done on {} in {} ms ({}x{})", step.hostKey(), r.node(), r.workMillis(),
        r.width(), r.height());
    trail.append(trail.length() == 0 ? "" : ", ").append(step.hostKey()).append(' ').append(r.workMillis())
        .append(" ms on ").append(r.node());
    // The stage's input is no longer needed where it was held.
    releaseHeld();
    image = r.image();
    next++;
    if (next < steps.size()) {
      submitNext();
      return this;
    }
    byte[] out = image instanceof ImagePayload.Encoded e ? e.bytes() : new byte[0];
    long total = millisSinceStart();
    PipelineStats stats = stats(total, (long) out.length);
    finished = true;
    // One line per request names every stage and the node that served it, as the original's console did.
    getContext().getLog().info("Pipeline complete: {} ({}) in {} ms, {} bytes: {}", request.filename(), processId,
        total, out.length, trail);
    ledger.tell(new JobLedger.Update(new JobStatus(processId, JobStatus.COMPLETED, 100, "done", stats)));
    request.replyTo().tell(new ProcessResult(true, "Processing completed successfully", processId, out, stats));
    return Behaviors.stopped();
  }

  private Behavior<Command> onDeadline() {
    if (finished) {
      return Behaviors.stopped();
    }
    Step step = next < steps.size() ? steps.get(next) : null;
    if (step != null) {
      // Frees the job's place in the pool's queue; a slot already working answers into the void.
      pools.get(step.stage()).tell(new StagePool.Cancel(stageReplies));
    }
    fail("Processing timed out after " + timeout.toMillis() + " ms"
        + (step != null ? " during " + step.hostKey() : ""), step);
    return Behaviors.stopped();
  }

  /** Tells the node holding the current image, if another node holds it, that it may drop it. */
  private void releaseHeld() {
    if (image instanceof ImagePayload.Held h) {
      h.outputs().tell(new StageOutputs.Release(h.key()));
    }
  }

  private Behavior<Command> onPostStop() {
    releaseHeld();
    if (!finished) {
      finished = true;
      ledger.tell(new JobLedger.Update(new JobStatus(processId, JobStatus.FAILED, progress(), "stopped",
          stats(millisSinceStart(), null))));
    }
    return this;
  }

  private void fail(String message, Step step) {
    finished = true;
    long total = millisSinceStart();
    PipelineStats stats = stats(total, null);
    getContext().getLog().warn("Pipeline error: {} ({})", message, processId);
    ledger.tell(new JobLedger.Update(new JobStatus(processId, JobStatus.FAILED, progress(),
        step == null ? "" : step.hostKey(), stats)));
    request.replyTo().tell(new ProcessResult(false, message, processId, new byte[0], stats));
  }

  private void addTime(Stage stage, long ms) {
    switch (stage) {
      case RESIZE -> resizeMs = ms;
      case FILTER -> filterMs = (filterMs == null ? 0 : filterMs) + ms;
      case WATERMARK -> watermarkMs = ms;
      case FORMAT -> formatMs = ms;
    }
  }

  private PipelineStats stats(Long total, Long processed) {
    Map<String, String> hosts = new LinkedHashMap<>(hostMap);
    hosts.put("Orchestrator", self);
    return new PipelineStats((long) (request.image() == null ? 0 : request.image().length), resizeMs, filterMs,
        watermarkMs, formatMs, hosts, total, processed);
  }

  private int progress() {
    return steps.isEmpty() ? 0 : (int) (100L * next / steps.size());
  }

  private void report(String status, String currentStage) {
    ledger.tell(new JobLedger.Update(new JobStatus(processId, status, progress(), currentStage,
        stats(null, null))));
  }

  private long millisSinceStart() {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
