package org.imgpipe.pipeline;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToDoubleFunction;

/**
 * The pipeline's meters. Micrometer names map to the Prometheus names of docs/architecture.md:
 * imgpipe.stage.jobs → imgpipe_stage_jobs_total{stage,outcome}, imgpipe.stage.queue.depth →
 * imgpipe_stage_queue_depth{stage}, imgpipe.stage.busy.rejections → imgpipe_stage_busy_rejections_total{stage},
 * imgpipe.stage.work → imgpipe_stage_work_seconds{stage} (histogram), imgpipe.stage.retries →
 * imgpipe_stage_retries_total{stage}, imgpipe.stage.reoffers → imgpipe_stage_reoffers_total{stage},
 * imgpipe.stage.poison → imgpipe_stage_poison_total{stage}, imgpipe.held.images → imgpipe_held_images_bytes,
 * imgpipe.cluster.members → imgpipe_cluster_members{status}, imgpipe.image.memory.used / .budget →
 * imgpipe_image_memory_used_bytes / imgpipe_image_memory_budget_bytes, imgpipe.image.memory.waits →
 * imgpipe_image_memory_waits_total.
 */
public final class PipelineMetrics {

  private final MeterRegistry registry;
  private final Map<Stage, AtomicInteger> queueDepth = new EnumMap<>(Stage.class);
  private final Map<Stage, Counter> busy = new EnumMap<>(Stage.class);
  private final Map<Stage, Counter> retries = new EnumMap<>(Stage.class);
  private final Map<Stage, Counter> reoffers = new EnumMap<>(Stage.class);
  private final Map<Stage, Counter> poison = new EnumMap<>(Stage.class);
  private final Map<Stage, Timer> work = new EnumMap<>(Stage.class);
  private final Map<String, Counter> outcomes = new ConcurrentHashMap<>();

  public PipelineMetrics(MeterRegistry registry) {
    this.registry = registry;
    for (Stage s : Stage.values()) {
      AtomicInteger depth = new AtomicInteger();
      queueDepth.put(s, depth);
      Gauge.builder("imgpipe.stage.queue.depth", depth, AtomicInteger::get)
          .description("Jobs waiting for a slot in this node's pool").tag("stage", s.key()).register(registry);
      busy.put(s, Counter.builder("imgpipe.stage.busy.rejections")
          .description("Jobs answered BUSY because the queue was full").tag("stage", s.key()).register(registry));
      retries.put(s, Counter.builder("imgpipe.stage.retries")
          .description("Jobs a slot had taken, sent to another slot after that slot stopped answering")
          .tag("stage", s.key()).register(registry));
      reoffers.put(s, Counter.builder("imgpipe.stage.reoffers")
          .description("Jobs offered again because no slot took the offer in time (nothing had run)")
          .tag("stage", s.key()).register(registry));
      poison.put(s, Counter.builder("imgpipe.stage.poison")
          .description("Jobs failed as suspected poison inputs: nodes were lost more often than allowed while running them")
          .tag("stage", s.key()).register(registry));
      work.put(s, Timer.builder("imgpipe.stage.work")
          .description("Image work time of one job on a slot of this node").tag("stage", s.key())
          .publishPercentileHistogram().minimumExpectedValue(Duration.ofMillis(1))
          .maximumExpectedValue(Duration.ofSeconds(60)).register(registry));
      for (StageResult.Status st : StageResult.Status.values()) {
        outcome(s, st);
      }
    }
  }

  /** Registers imgpipe_cluster_members{status} for every member status, read from {@code count}. */
  public void clusterMembers(Iterable<String> statuses, ToDoubleFunction<String> count) {
    for (String status : statuses) {
      Gauge.builder("imgpipe.cluster.members", status, count::applyAsDouble)
          .description("Cluster members by status").tag("status", status).register(registry);
    }
  }

  /** Registers the image memory budget's meters: bytes held and allowed, reservations that waited. */
  public void imageMemory(ImageMemory memory) {
    memory.register(registry, "imgpipe.image.memory");
  }

  AtomicInteger queueDepth(Stage stage) {
    return queueDepth.get(stage);
  }

  void busyRejection(Stage stage) {
    busy.get(stage).increment();
  }

  void retry(Stage stage) {
    retries.get(stage).increment();
  }

  void reoffer(Stage stage) {
    reoffers.get(stage).increment();
  }

  void poison(Stage stage) {
    poison.get(stage).increment();
  }

  public double poisonJobs(Stage stage) {
    return poison.get(stage).count();
  }

  /** Registers imgpipe_held_images_bytes: decoded stage outputs this node holds for the next stage. */
  void heldImages(java.util.concurrent.atomic.AtomicLong bytes) {
    Gauge.builder("imgpipe.held.images", bytes, java.util.concurrent.atomic.AtomicLong::get).baseUnit("bytes")
        .description("Decoded stage outputs held on this node until the next stage takes them").register(registry);
  }

  void recordWork(Stage stage, long millis) {
    work.get(stage).record(Math.max(0, millis), TimeUnit.MILLISECONDS);
  }

  void jobOutcome(Stage stage, StageResult.Status status) {
    outcome(stage, status).increment();
  }

  private Counter outcome(Stage stage, StageResult.Status status) {
    String outcome = status.name().toLowerCase(java.util.Locale.ROOT);
    return outcomes.computeIfAbsent(stage.key() + "/" + outcome, k -> Counter.builder("imgpipe.stage.jobs")
        .description("Jobs answered by this node's pool, by outcome").tag("stage", stage.key())
        .tag("outcome", outcome).register(registry));
  }

  public double busyRejections(Stage stage) {
    return busy.get(stage).count();
  }

  public double retries(Stage stage) {
    return retries.get(stage).count();
  }

  public double reoffers(Stage stage) {
    return reoffers.get(stage).count();
  }

  public double jobs(Stage stage, StageResult.Status status) {
    return outcome(stage, status).count();
  }
}
