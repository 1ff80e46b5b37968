package org.imgpipe.pipeline;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.imgpipe.config.ImgpipeSettings;

/**
 * The real stage work with test hooks: a filter named "CRASH" runs {@link #crash} (a test stops the node
 * abruptly there, as a node that runs out of memory would die) and never answers; a filter or format
 * name "HOLD" waits for {@link #release},
 * "SLEEP-n" sleeps n ms first, "ONCE-n" only the first time it is seen (both then work as NEGATIVE / PNG), and {@link #delayMillis} slows down
 * every job. It records every job and the kind of input it received.
 */
class ScriptedWork extends StageWork {

  record Seen(StageJob job, Class<?> inputType, String node) {}

  final List<Seen> seen = new CopyOnWriteArrayList<>();
  private final java.util.Set<String> onceSeen = java.util.concurrent.ConcurrentHashMap.newKeySet();
  volatile CountDownLatch release = new CountDownLatch(1);
  volatile long delayMillis;
  /** When set, every Resize job waits for it. */
  volatile CountDownLatch resizeHold;
  /** What a "CRASH" filter does to its node. */
  volatile Runnable crash = () -> { };

  ScriptedWork(ImgpipeSettings settings) {
    super(settings);
  }

  @Override
  public StageResult run(StageJob job, ImagePayload input, long deadlineNanos, boolean alone) {
    seen.add(new Seen(job, input == null ? null : input.getClass(), node(job.stage())));
    String name = scriptName(job);
    try {
      CountDownLatch rh = resizeHold;
      if (job instanceof StageJob.Resize && rh != null && !rh.await(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("resize hold never released");
      }
      if (name.equals("CRASH")) {
        Thread killer = new Thread(crash, "crash-" + node(job.stage()));
        killer.start();
        killer.join(60_000);
        return StageResult.failure(StageResult.Status.FAILED, "crashed", 0, node(job.stage()));
      }
      if (name.equals("HOLD")) {
        if (!release.await(60, TimeUnit.SECONDS)) {
          throw new IllegalStateException("HOLD never released");
        }
      } else if (name.startsWith("ONCE-")) {
        if (onceSeen.add(name)) {
          Thread.sleep(Long.parseLong(name.substring(5)));
        }
      } else if (name.startsWith("SLEEP-")) {
        Thread.sleep(Long.parseLong(name.substring(6)));
      }
      if (delayMillis > 0) {
        Thread.sleep(delayMillis);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return super.run(unscripted(job, name), input, deadlineNanos, alone);
  }

  private static String scriptName(StageJob job) {
    if (job instanceof StageJob.Filter f && !f.steps().isEmpty()) {
      return f.steps().get(0).name();
    }
    if (job instanceof StageJob.Format f) {
      return f.format();
    }
    if (job instanceof StageJob.TextWatermark w) {
      return w.text();
    }
    return "";
  }

  private static StageJob unscripted(StageJob job, String name) {
    if (!(name.equals("HOLD") || name.startsWith("SLEEP-") || name.startsWith("ONCE-"))) {
      return job;
    }
    if (job instanceof StageJob.Filter f) {
      return new StageJob.Filter(List.of(new StageJob.FilterStep("NEGATIVE", 1.0)), f.encode());
    }
    if (job instanceof StageJob.Format f) {
      return new StageJob.Format("PNG", f.quality());
    }
    if (job instanceof StageJob.TextWatermark w) {
      return new StageJob.TextWatermark("x", w.position(), w.fontSize(), w.color(), w.opacity(), w.encode());
    }
    return job;
  }

  long count(Stage stage) {
    return seen.stream().filter(s -> s.job().stage() == stage).count();
  }
}
