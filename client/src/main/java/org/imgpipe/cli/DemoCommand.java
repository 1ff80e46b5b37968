package org.imgpipe.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.demo.BatchRunner;
import org.imgpipe.demo.BatchSource;
import org.imgpipe.demo.BatchSummary;
import org.imgpipe.demo.DirectorySource;
import org.imgpipe.demo.SyntheticBatch;
import org.imgpipe.node.ImgpipeNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code imgpipe demo}: the original's batch through process_image, with a summary it never printed. */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Runs the original's batch demo: synthetic images (or --input DIR) through the whole pipeline, written to output/batch_NNN.png, then per-stage times, throughput and the nodes that served them. Starts an embedded all-roles node when nothing answers on a loopback orchestrator address.",
    footer = {"", "Exit code: 0 when every image succeeded, 1 otherwise."})
final class DemoCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--images", paramLabel = "N", defaultValue = "30",
      description = "Number of images (default ${DEFAULT-VALUE}; with --input: at most N, default all).")
  int images;

  @Option(names = "--concurrency", paramLabel = "C", defaultValue = "1",
      description = "Images in flight at once (default ${DEFAULT-VALUE}, as the original).")
  int concurrency;

  @Option(names = "--orchestrator", paramLabel = "HOST:PORT", converter = Endpoint.Converter.class,
      description = "Orchestrator address (default 127.0.0.1:50055).")
  Endpoint orchestrator;

  @Option(names = "--input", paramLabel = "DIR", description = "Send the images in DIR instead of synthetic ones.")
  Path input;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = "output",
      description = "Where processed images go (default ${DEFAULT-VALUE}/ under the current directory).")
  Path output;

  @Option(names = "--clean", description = "Empty the output folder first instead of asking or writing beside it.")
  boolean clean;

  @Option(names = "--no-embedded", description = "Never start an embedded node; fail when nothing answers.")
  boolean noEmbedded;

  @Option(names = "--verbose", description = "Show the embedded node's log.")
  boolean verbose;

  @Mixin CallOptions call;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (images < 1) {
      throw new CliException("--images must be at least 1");
    }
    if (concurrency < 1) {
      throw new CliException("--concurrency must be at least 1");
    }
    Endpoint orch = Defaults.endpoint(orchestrator, Role.ORCHESTRATOR);
    boolean imagesGiven = spec.commandLine().getParseResult().hasMatchedOption("--images");
    BatchSource source;
    try {
      source = input == null ? new SyntheticBatch(images) : new DirectorySource(input, imagesGiven ? images : 0, false);
    } catch (IOException e) {
      throw new CliException(e.getMessage());
    }

    out.println("=".repeat(70));
    out.println("🎨 IMAGE PROCESSING PIPELINE - Batch Demo");
    out.println("=".repeat(70));
    ImgpipeNode embedded = null;
    if (!Remote.listening(orch, Duration.ofSeconds(2))) {
      if (noEmbedded || !orch.isLoopback()) {
        throw new CliException(Remote.describe(new java.net.ConnectException(), orch, call.timeout));
      }
      embedded = EmbeddedNode.start(orch, verbose, out);
    }
    try {
      boolean interactive = System.console() != null;
      BufferedReader in = interactive
          ? new BufferedReader(new InputStreamReader(System.in, Charset.defaultCharset())) : null;
      Path dir = OutputFolder.choose(output, clean, in, out);
      out.println("Orchestrator: " + orch + "   Batch: " + source.describe() + "   Concurrency: " + concurrency);
      out.println("Output: " + dir);
      out.println();
      BatchRunner runner = new BatchRunner(call.remote(orch).pipeline(), source, dir, concurrency, call.retry());
      BatchSummary summary = runner.run(new ProgressBar(out, interactive));
      out.println();
      out.print(summary.render());
      if (summary.succeeded() > 0) {
        out.println();
        out.println("📂 Output: " + dir);
      }
      out.flush();
      return summary.allSucceeded() ? 0 : 1;
    } finally {
      if (embedded != null) {
        out.println("Stopping the embedded node ...");
        out.flush();
        embedded.close();
      }
    }
  }
}
