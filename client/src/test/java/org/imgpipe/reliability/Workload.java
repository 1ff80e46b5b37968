package org.imgpipe.reliability;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import javax.imageio.ImageIO;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.testing.TestImages;
import org.imgpipe.xmlrpc.client.ImgpipeClient;
import org.imgpipe.xmlrpc.client.XmlRpcFault;

/**
 * The batches the fault and overload tests send: photo-like PNGs through resize, two filters, a text
 * watermark and PNG output, each image checked on arrival (decodes, has the target size).
 */
final class Workload {

  static final int SOURCE_WIDTH = 960;
  static final int SOURCE_HEIGHT = 540;
  static final int TARGET_WIDTH = 480;
  static final int TARGET_HEIGHT = 270;

  private static final Map<Integer, byte[]> IMAGES = new ConcurrentHashMap<>();

  private Workload() {}

  /** Image {@code i} of a batch: a photo-like PNG seeded by i, so images differ. */
  static byte[] image(int i) {
    return IMAGES.computeIfAbsent(i % 16, k -> TestImages.encode(TestImages.photoLike(SOURCE_WIDTH, SOURCE_HEIGHT,
        1000 + k), ImageFormat.PNG, 90));
  }

  static Map<String, Object> options(int i) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("target_width", TARGET_WIDTH);
    o.put("target_height", TARGET_HEIGHT);
    o.put("filters", i % 2 == 0 ? List.of("blur", "sharpen") : List.of("grayscale", "contrast"));
    o.put("add_watermark", true);
    o.put("watermark_text", "image " + i);
    o.put("watermark_position", "bottom-right");
    o.put("output_format", "PNG");
    o.put("output_quality", 90);
    return o;
  }

  /** An orchestrator to send process_image to. */
  record Target(String host, int port) {
    ImgpipeClient client(Duration timeout) {
      return new ImgpipeClient(host, port, timeout);
    }

    @Override
    public String toString() {
      return host + ":" + port;
    }
  }

  /**
   * What happened to one image: its final answer, plus every transport error and busy answer on the way.
   *
   * @param hostMap stage label → serving node (host:port) from the answer's stats
   */
  record Outcome(int index, boolean success, String message, String processId, Map<String, String> hostMap,
      int width, int height, List<String> transportErrors, int busyAnswers, String servedBy, long millis) {

    boolean servedOnlyBy(String host, String... stagePrefixes) {
      for (Map.Entry<String, String> e : hostMap.entrySet()) {
        for (String p : stagePrefixes) {
          if (e.getKey().startsWith(p) && !e.getValue().startsWith(host + ":")) {
            return false;
          }
        }
      }
      return true;
    }

    boolean usedHost(String host) {
      return hostMap.values().stream().anyMatch(v -> v.startsWith(host + ":"));
    }
  }

  /** How a batch retries. */
  record Retry(int maxCalls, boolean onTransportError, boolean onBusy) {
    static final Retry NONE = new Retry(1, false, false);
    static final Retry BUSY = new Retry(8, false, true);
    static final Retry FAILOVER = new Retry(4, true, true);
  }

  /**
   * Sends images {@code first..first+count-1} with {@code concurrency} calls in flight. Image i goes to
   * {@code targets[i % targets.size()]}; a retried call goes to the next target. {@code onFinished} gets the
   * number of images finished so far (on a batch thread; keep it short).
   */
  static List<Outcome> run(List<Target> targets, int first, int count, int concurrency, Retry retry,
      Duration callTimeout, IntConsumer onFinished) throws InterruptedException {
    return run(targets, first, count, concurrency, retry, callTimeout, onFinished, () -> true);
  }

  /** As above; images are handed out only while {@code more} says so (then the batch ends short of count). */
  static List<Outcome> run(List<Target> targets, int first, int count, int concurrency, Retry retry,
      Duration callTimeout, IntConsumer onFinished, java.util.function.BooleanSupplier more)
      throws InterruptedException {
    List<ImgpipeClient> clients = new ArrayList<>();
    for (Target t : targets) {
      clients.add(t.client(callTimeout));
    }
    Outcome[] out = new Outcome[count];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger finished = new AtomicInteger();
    ExecutorService pool = Executors.newFixedThreadPool(concurrency, r -> {
      Thread t = new Thread(r, "reliability-batch");
      t.setDaemon(true);
      return t;
    });
    for (int w = 0; w < concurrency; w++) {
      pool.execute(() -> {
        int k;
        while (more.getAsBoolean() && (k = next.getAndIncrement()) < count) {
          int i = first + k;
          out[k] = one(clients, targets, i, retry);
          onFinished.accept(finished.incrementAndGet());
        }
      });
    }
    pool.shutdown();
    long bound = callTimeout.toMillis() * retry.maxCalls() * ((count + concurrency - 1) / concurrency) + 60_000;
    if (!pool.awaitTermination(bound, TimeUnit.MILLISECONDS)) {
      pool.shutdownNow();
      throw new AssertionError("batch did not finish within " + bound + " ms");
    }
    List<Outcome> done = new ArrayList<>();
    for (int k = 0; k < Math.min(count, next.get()); k++) {
      done.add(out[k]); // every image handed out has its outcome (null would fail the checks)
    }
    return done;
  }

  static Outcome one(List<ImgpipeClient> clients, List<Target> targets, int i, Retry retry) {
    List<String> transport = new ArrayList<>();
    int busy = 0;
    long t0 = System.nanoTime();
    int target = i % clients.size();
    for (int call = 1; ; call++) {
      Map<String, Object> answer;
      try {
        answer = clients.get(target).processImage("reliability/image-" + i + ".png", image(i), options(i));
      } catch (IOException e) {
        transport.add(targets.get(target) + ": " + e.getMessage());
        if (retry.onTransportError() && call < retry.maxCalls()) {
          target = (target + 1) % clients.size();
          continue;
        }
        return new Outcome(i, false, "transport: " + e.getMessage(), "", Map.of(), 0, 0, transport, busy,
            targets.get(target).toString(), millis(t0));
      } catch (XmlRpcFault f) {
        return new Outcome(i, false, "fault: " + f.getMessage(), "", Map.of(), 0, 0, transport, busy,
            targets.get(target).toString(), millis(t0));
      }
      boolean ok = Boolean.TRUE.equals(answer.get("success"));
      String message = String.valueOf(answer.get("message"));
      if (!ok && message.contains("busy")) {
        busy++;
        if (retry.onBusy() && call < retry.maxCalls()) {
          sleep(Math.min(2000, 100L << Math.min(5, call)));
          continue;
        }
      }
      Map<String, String> hostMap = new LinkedHashMap<>();
      if (answer.get("stats") instanceof Map<?, ?> stats && stats.get("host_map") instanceof Map<?, ?> hm) {
        hm.forEach((k, v) -> hostMap.put(String.valueOf(k), String.valueOf(v)));
      }
      int w = 0;
      int h = 0;
      if (ok) {
        try {
          var img = ImageIO.read(new ByteArrayInputStream((byte[]) answer.get("processed_image")));
          if (img != null) {
            w = img.getWidth();
            h = img.getHeight();
          }
        } catch (IOException | RuntimeException e) {
          ok = false;
          message = "success but the image does not decode: " + e;
        }
      }
      return new Outcome(i, ok, message, String.valueOf(answer.get("process_id")), hostMap, w, h, transport, busy,
          targets.get(target).toString(), millis(t0));
    }
  }

  /** Failures of a batch, one line each, for assertion messages. */
  static String failures(List<Outcome> outcomes) {
    StringBuilder b = new StringBuilder();
    for (Outcome o : outcomes) {
      if (o == null) {
        b.append("  (missing outcome)\n");
      } else if (!o.success() || o.width() != TARGET_WIDTH || o.height() != TARGET_HEIGHT) {
        b.append("  image ").append(o.index()).append(": ").append(o.message()).append(" (")
            .append(o.width()).append('x').append(o.height()).append(")\n");
      }
    }
    return b.toString();
  }

  static long succeeded(List<Outcome> outcomes) {
    return outcomes.stream().filter(o -> o != null && o.success() && o.width() == TARGET_WIDTH
        && o.height() == TARGET_HEIGHT).count();
  }

  private static long millis(long t0) {
    return (System.nanoTime() - t0) / 1_000_000;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
