package org.imgpipe.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.demo.BatchItem;
import org.imgpipe.demo.BatchRunner;
import org.imgpipe.demo.BatchSource;
import org.imgpipe.demo.BatchSummary;
import org.imgpipe.demo.DirectorySource;
import org.imgpipe.demo.ImageResult;
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
      description = "demo: the original's 30 synthetic images and options; photo: 2560x1600 JPEGs (generated, "
          + "or --input DIR) to 1280x720, BLUR, SHARPEN, CONTRAST, watermark, JPEG 85; demo,photo with "
          + "--matrix/--report/--chart (default ${DEFAULT-VALUE}).")
  String workload;

  @Option(names = "--matrix", description = "Run each workload at concurrency 1, 2, 4 and 8 and print the full report.")
  boolean matrix;

  @Option(names = "--report", paramLabel = "FILE", description = "Write the report's tables (Markdown) to FILE.")
  Path report;

  @Option(names = "--chart", paramLabel = "FILE", description = "Draw the report's chart (PNG) into FILE.")
  Path chart;

  @Option(names = "--node-pid", paramLabel = "PID", defaultValue = "0",
      description = "Process whose CPU, heap and RSS the report gives (default: the orchestrator port's listener).")
  long nodePid;

  @Option(names = "--reference", paramLabel = "LABEL=IMG/S", description = "A dashed line on the chart, e.g. libvips.")
  List<String> references = new ArrayList<>();

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
    if (matrix || report != null || chart != null) {
      List<Integer> levels = matrix ? org.imgpipe.bench.BenchHarness.MATRIX : List.of(concurrency);
      try (org.imgpipe.bench.ResourceProbe probe = org.imgpipe.bench.BenchSuite.probeFor(orch.host(), orch.port(), nodePid)) {
        var plan = new org.imgpipe.bench.BenchSuite.Plan(org.imgpipe.bench.BenchSuite.workloadNames(workload), input,
            levels, requests, warmup, report, chart,
            references.stream().map(org.imgpipe.bench.BenchSuite::reference).toList(), orch.toString());
        var runs = org.imgpipe.bench.BenchSuite.run(plan, remote.pipeline(), probe, call.retry(), out);
        return runs.stream().allMatch(r -> r.failed() == 0) ? 0 : 1;
      } catch (IllegalArgumentException e) {
        throw new CliException(e.getMessage());
      }
    }
    org.imgpipe.bench.Workload bench;
    try {
      bench = new org.imgpipe.bench.Workload(input != null ? input.toString() : workload, "bench images", images());
    } catch (IllegalArgumentException e) {
      throw new CliException("no image to send: " + e.getMessage());
    }
    out.printf("Bench: %d requests, concurrency %d, workload %s, against %s%n", requests, concurrency,
        input != null ? input : workload, orch);
    if (warmup > 0) {
      new BatchRunner(remote.pipeline(), bench.requests(warmup), null, concurrency, call.retry()).run(null);
    }
    BatchSummary s = new BatchRunner(remote.pipeline(), bench.requests(requests), null, concurrency,
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
    try {
      return org.imgpipe.bench.Workload.named(workload, null).first(warmup + requests);
    } catch (IllegalArgumentException e) {
      throw new CliException("--workload must be demo or photo, not '" + workload + "'");
    }
  }
}
