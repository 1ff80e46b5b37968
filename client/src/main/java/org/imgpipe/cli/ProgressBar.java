package org.imgpipe.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.imgpipe.demo.BatchRunner;
import org.imgpipe.demo.ImageResult;

/**
 * Prints a batch as it runs: one line per image (the original's wording), and on a terminal a
 * progress bar redrawn under them.
 */
final class ProgressBar implements BatchRunner.Listener {

  private static final int WIDTH = 30;

  private final PrintWriter out;
  private final boolean terminal;
  private final Path cwd = Path.of("").toAbsolutePath();
  private long start;
  private int ok;
  private int failed;

  ProgressBar(PrintWriter out, boolean terminal) {
    this.out = out;
    this.terminal = terminal;
  }

  @Override
  public synchronized void started(int total, Path outputDir) {
    start = System.nanoTime();
    bar(0, total);
  }

  @Override
  public synchronized void imageFinished(ImageResult r, int done, int total) {
    if (r.success()) {
      ok++;
    } else {
      failed++;
    }
    clearBar();
    String head = String.format("🎯 IMAGE %d/%d: ", r.index(), total);
    if (r.success()) {
      String where = r.output() == null ? "" : " | Saved: " + shown(r.output());
      out.println(head + "✅ Success! Total: " + r.totalMillis() + "ms" + where);
    } else {
      out.println(head + "❌ FAILED: " + r.message());
    }
    bar(done, total);
  }

  @Override
  public synchronized void finished(org.imgpipe.demo.BatchSummary summary) {
    clearBar();
    out.flush();
  }

  private String shown(Path p) {
    Path abs = p.toAbsolutePath();
    return abs.startsWith(cwd) ? cwd.relativize(abs).toString() : abs.toString();
  }

  private void bar(int done, int total) {
    if (!terminal) {
      out.flush();
      return;
    }
    int filled = total == 0 ? WIDTH : (int) ((long) done * WIDTH / total);
    double secs = (System.nanoTime() - start) / 1e9;
    out.printf("[%s%s] %d/%d  ok %d  failed %d  %.1f images/s",
        "#".repeat(filled), ".".repeat(WIDTH - filled), done, total, ok, failed, secs > 0 ? ok / secs : 0.0);
    out.flush();
  }

  private void clearBar() {
    if (terminal) {
      out.print("\r\033[2K");
    }
  }
}
