package org.imgpipe.bench;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.imgpipe.demo.BusyRetry;
import org.imgpipe.demo.PipelineService;

/**
 * What {@code imgpipe bench --matrix/--report/--chart} runs: each named workload at each concurrency
 * through one process_image service, the node's resources probed, the tables printed, and optionally
 * a Markdown report and a PNG chart written.
 */
public final class BenchSuite {

  /** How the suite runs and what it writes; {@code report} and {@code chart} may be null. */
  public record Plan(List<String> workloads, Path photoFolder, List<Integer> concurrencies, int requests,
      int warmup, Path report, Path chart, List<BenchChart.Reference> references, String target) {}

  private BenchSuite() {}

  /** Parses "demo,photo" into workload names, checking each. */
  public static List<String> workloadNames(String spec) {
    List<String> out = new ArrayList<>();
    for (String s : spec.split(",")) {
      String n = s.trim().toLowerCase(Locale.ROOT);
      if (!Workload.NAMES.contains(n)) {
        throw new IllegalArgumentException("unknown workload '" + s.trim() + "': use demo, photo or demo,photo");
      }
      if (!out.contains(n)) {
        out.add(n);
      }
    }
    return out;
  }

  /** Parses a chart reference "LABEL=IMAGES_PER_SECOND" (the label may hold '='; the number is after the last). */
  public static BenchChart.Reference reference(String spec) {
    int eq = spec.lastIndexOf('=');
    if (eq <= 0 || eq == spec.length() - 1) {
      throw new IllegalArgumentException("a reference is LABEL=IMAGES_PER_SECOND, not '" + spec + "'");
    }
    try {
      return new BenchChart.Reference(spec.substring(0, eq), Double.parseDouble(spec.substring(eq + 1)));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("a reference is LABEL=IMAGES_PER_SECOND, not '" + spec + "'");
    }
  }

  /**
   * The probe for a node listening on host:port: {@code pid} when given (&gt; 0), else the listener
   * found through /proc; this JVM's beans when the listener is this process; nothing when not found.
   */
  public static ResourceProbe probeFor(String host, int port, long pid) {
    long p = pid > 0 ? pid : ProcProbe.listeningPid(host, port);
    if (p <= 0) {
      return ResourceProbe.NONE;
    }
    if (p == ProcessHandle.current().pid()) {
      return new JvmProbe();
    }
    ProcProbe probe = ProcProbe.of(p, true);
    return probe.available() ? probe : ResourceProbe.NONE;
  }

  /** Runs the plan; returns the runs (every level of every workload, in order). */
  public static List<RunResult> run(Plan plan, PipelineService service, ResourceProbe probe, BusyRetry retry,
      PrintWriter out) throws IOException, InterruptedException {
    Machine machine = Machine.current();
    String loadBefore = Machine.loadAverage();
    out.printf("Machine: %s%nLoad average: %s%nNode resources: %s%n", machine.describe(), loadBefore,
        probe.describe());
    out.flush();
    BenchHarness harness = new BenchHarness(service, probe, retry);
    List<RunResult> runs = new ArrayList<>();
    for (String name : plan.workloads()) {
      Workload w = Workload.named(name, "photo".equals(name) ? plan.photoFolder() : null);
      out.printf("%nWorkload %s: %s (%d KB in), %d requests per level after %d warm-up, concurrency %s%n",
          w.name(), w.description(), w.inputBytes() / 1024, plan.requests(), plan.warmup(), plan.concurrencies());
      out.flush();
      harness.runAll(w, plan.concurrencies(), plan.requests(), plan.warmup(), r -> {
        out.printf(Locale.ROOT, "  C=%d: %.2f images/s, p50 %d ms, p95 %d ms, p99 %d ms, %d failed (load %s)%n",
            r.concurrency(), r.throughput(), r.latency().p50(), r.latency().p95(), r.latency().p99(), r.failed(),
            Machine.loadAverage());
        out.flush();
        runs.add(r);
      });
    }
    String loadAfter = Machine.loadAverage();
    out.println();
    out.print(BenchReport.text(runs));
    out.printf("Load average: %s before, %s after%n", loadBefore, loadAfter);
    if (plan.report() != null) {
      writeFile(plan.report(), BenchReport.markdown(runs, machine, loadBefore, loadAfter, probe.describe(),
          plan.target()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      out.println("Report written to " + plan.report());
    }
    if (plan.chart() != null) {
      writeFile(plan.chart(), BenchChart.png(runs, plan.references(),
          "imgpipe bench: " + String.join(", ", plan.workloads()) + " on " + machine.cores() + " cores"));
      out.println("Chart written to " + plan.chart());
    }
    out.flush();
    return runs;
  }

  private static void writeFile(Path file, byte[] bytes) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    if (parent != null) {
      Files.createDirectories(parent);
    }
    Files.write(file, bytes);
  }
}
