package org.imgpipe.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.demo.BatchItem;
import org.imgpipe.demo.BatchRunner;
import org.imgpipe.demo.BatchSource;
import org.imgpipe.demo.BatchSummary;
import org.imgpipe.demo.DirectorySource;
import org.imgpipe.demo.ImageResult;
import org.imgpipe.demo.SyntheticBatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code imgpipe bench}: a process_image load generator reporting throughput and latency percentiles. */
@Command(name = "bench", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Sends N process_image requests, C at a time, and reports throughput and latency percentiles. Images are made once up front, so the client's own work stays out of the figures.")
final class BenchCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--requests", paramLabel = "N", defaultValue = "100", description = "Default ${DEFAULT-VALUE}.")
  int requests;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "4", description = "Default ${DEFAULT-VALUE}.")
  int concurrency;

  @Option(names = "--input", paramLabel = "DIR", description = "Use the images in DIR, in turn.")
  Path input;

  @Option(names = "--workload", paramLabel = "KIND", defaultValue = "demo",
      description = "demo: the batch's synthetic images and options; photo: photo-like 1920x1080 JPEGs "
          + "(noisy, hard to compress) with the same options (default ${DEFAULT-VALUE}).")
  String workload;

  @Option(names = "--warmup", paramLabel = "N", defaultValue = "4",
      description = "Requests sent first and not counted (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--orchestrator", paramLabel = "HOST:PORT", converter = Endpoint.Converter.class,
      description = "Orchestrator address (default 127.0.0.1:50055).")
  Endpoint orchestrator;

  @Mixin CallOptions call;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (requests < 1 || concurrency < 1 || warmup < 0) {
      throw new CliException("--requests and --concurrency must be at least 1, --warmup at least 0");
    }
    Endpoint orch = Defaults.endpoint(orchestrator, Role.ORCHESTRATOR);
    Remote remote = call.remote(orch);
    if (!Remote.listening(orch, java.time.Duration.ofSeconds(2))) {
      throw new CliException(Remote.describe(new java.net.ConnectException(), orch, call.timeout));
    }
    List<BatchItem> distinct = images();
    out.printf("Bench: %d requests, concurrency %d, workload %s, against %s%n", requests, concurrency,
        input != null ? input : workload, orch);
    if (warmup > 0) {
      new BatchRunner(remote.pipeline(), new Cycle(distinct, warmup), null, concurrency, call.retry()).run(null);
    }
    BatchSummary s = new BatchRunner(remote.pipeline(), new Cycle(distinct, requests), null, concurrency,
        call.retry()).run(null);
    List<Long> latency = new ArrayList<>();
    int retried = 0;
    for (ImageResult r : s.results()) {
      if (r.success()) {
        latency.add(r.roundTripMillis());
      }
      retried += Math.max(0, r.attempts() - 1);
    }
    Collections.sort(latency);
    out.printf("%nrequests     %d (ok %d, failed %d, busy retries %d)%n", s.results().size(), s.succeeded(),
        s.failed(), retried);
    out.printf("wall time    %.2f s%n", s.wallMillis() / 1000.0);
    out.printf("throughput   %.2f requests/s%n", s.throughput());
    if (!latency.isEmpty()) {
      out.printf("latency ms   p50 %d   p95 %d   p99 %d   max %d   (client round trip)%n",
          pct(latency, 50), pct(latency, 95), pct(latency, 99), latency.get(latency.size() - 1));
      out.printf("server ms    total mean %.1f  p95 %d%n", s.total().mean(), s.total().p95());
    }
    s.distribution().forEach((node, counts) -> out.printf("  %-24s %s%n", node, counts));
    s.results().stream().filter(r -> !r.success()).map(ImageResult::message).distinct().limit(5)
        .forEach(m -> out.println("  failure: " + m));
    out.flush();
    return s.failed() == 0 ? 0 : 1;
  }

  static long pct(List<Long> sorted, int p) {
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
  }

  private List<BatchItem> images() throws IOException {
    List<BatchItem> items = new ArrayList<>();
    if (input != null) {
      DirectorySource dir;
      try {
        dir = new DirectorySource(input, 0, false);
      } catch (IOException e) {
        throw new CliException(e.getMessage());
      }
      for (int i = 1; i <= Math.min(dir.size(), 32); i++) {
        items.add(dir.item(i));
      }
      return items;
    }
    switch (workload) {
      case "demo" -> {
        for (int i = 1; i <= 4; i++) {
          items.add(new SyntheticBatch(4).item(i));
        }
      }
      case "photo" -> {
        for (int i = 1; i <= 4; i++) {
          items.add(new BatchItem(i, "photo_" + i + ".jpg", photo(i),
              SyntheticBatch.processOptions(SyntheticBatch.filters(i), SyntheticBatch.watermarkText(i))));
        }
      }
      default -> throw new CliException("--workload must be demo or photo, not '" + workload + "'");
    }
    return items;
  }

  /** A 1920x1080 JPEG with smooth colour fields and grain, seeded, so runs compare. */
  static byte[] photo(int seed) throws IOException {
    int w = 1920;
    int h = 1080;
    Random rnd = new Random(seed);
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    double fx = 2 + rnd.nextDouble() * 4;
    double fy = 2 + rnd.nextDouble() * 4;
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        double u = (double) x / w;
        double v = (double) y / h;
        int r = clamp(128 + 90 * Math.sin(fx * u * Math.PI + v) + rnd.nextGaussian() * 12);
        int g = clamp(128 + 90 * Math.sin(fy * v * Math.PI + 2 * u) + rnd.nextGaussian() * 12);
        int b = clamp(128 + 90 * Math.cos((u + v) * fx) + rnd.nextGaussian() * 12);
        row[x] = r << 16 | g << 8 | b;
      }
      img.setRGB(0, y, w, 1, row, 0, w);
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "jpg", out);
    return out.toByteArray();
  }

  private static int clamp(double v) {
    return (int) Math.max(0, Math.min(255, v));
  }

  /** {@code count} requests over a few prepared images, in turn. */
  private record Cycle(List<BatchItem> items, int count) implements BatchSource {
    @Override
    public int size() {
      return count;
    }

    @Override
    public BatchItem item(int index) {
      BatchItem b = items.get((index - 1) % items.size());
      return new BatchItem(index, String.format("bench_%05d_%s", index, b.name()), b.image(), b.options());
    }

    @Override
    public String describe() {
      return count + " requests";
    }
  }
}
