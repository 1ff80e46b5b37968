package org.imgpipe.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import javax.imageio.ImageIO;
import org.imgpipe.demo.ImageResult;
import org.imgpipe.demo.PipelineService;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The controller and model without a display: a stub orchestrator and a UI queue the test drains. */
class PanelControllerTest {

  @TempDir Path dir;

  /** Stands in for the event-dispatch thread: tasks wait here until the test runs them. */
  static final class UiQueue implements java.util.concurrent.Executor {
    final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();

    @Override
    public void execute(Runnable r) {
      tasks.add(r);
    }

    void drain() {
      Runnable r;
      while ((r = tasks.poll()) != null) {
        r.run();
      }
    }

    /** Runs the UI tasks until the condition holds; fails after the timeout. */
    void drainUntil(java.util.function.BooleanSupplier done, Duration timeout) throws InterruptedException {
      long deadline = System.nanoTime() + timeout.toNanos();
      while (!done.getAsBoolean()) {
        if (System.nanoTime() > deadline) {
          throw new AssertionError("condition not reached within " + timeout);
        }
        drain();
        Thread.sleep(5);
      }
    }
  }

  static final class RecordingDialogs implements PanelController.Dialogs {
    final List<String> asked = new ArrayList<>();
    final List<String> told = new ArrayList<>();
    boolean answer;

    @Override
    public boolean confirm(String title, String question) {
      asked.add(question);
      return answer;
    }

    @Override
    public void inform(String title, String message) {
      told.add(message);
    }
  }

  final UiQueue ui = new UiQueue();
  final ExecutorService background = Executors.newCachedThreadPool();
  final RecordingDialogs dialogs = new RecordingDialogs();
  final List<Path> opened = Collections.synchronizedList(new ArrayList<>());
  boolean openSupported = true;

  @AfterEach
  void stop() throws InterruptedException {
    background.shutdownNow();
    assertTrue(background.awaitTermination(10, TimeUnit.SECONDS));
  }

  PanelController controller(PipelineService service) {
    PanelController.FolderOpener opener = new PanelController.FolderOpener() {
      @Override
      public boolean supported() {
        return openSupported;
      }

      @Override
      public void open(Path folder) {
        opened.add(folder);
      }
    };
    return new PanelController(new PanelModel(), ui, background, s -> service, dialogs, opener);
  }

  PanelSettings settings(int count, int concurrency) {
    PanelSettings d = PanelSettings.defaults();
    return new PanelSettings(d.services(), d.callTimeout(), count, PanelSettings.SourceKind.SYNTHETIC, null,
        dir.resolve("out"), concurrency, 320, 180, true, true, d.filters(), 1.0, true, "x", "bottom-right", 20,
        "#FFFFFF", 0.8, "PNG", 90);
  }

  static byte[] png(int w, int h) throws IOException {
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    img.setRGB(0, 0, 0xFF0000);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  static int indexOf(String filename) {
    return Integer.parseInt(filename.replaceAll(".*batch_(\\d+)\\..*", "$1"));
  }

  static Map<String, Object> ok(int i, byte[] image) {
    Map<String, Object> hostMap = new LinkedHashMap<>();
    hostMap.put("Resize", "127.0.0.2:50052");
    hostMap.put("Filter-1 (BLUR)", "127.0.0.3:50053");
    hostMap.put("Filter-2 (SHARPEN)", "127.0.0.2:50053");
    hostMap.put("Watermark", "127.0.0.2:50054");
    hostMap.put("Format", "127.0.0.3:50056");
    hostMap.put("Orchestrator", "127.0.0.2:50055");
    Map<String, Object> stats = new LinkedHashMap<>();
    stats.put("original_size_bytes", 1000);
    stats.put("resize_time_ms", 10 * i);
    stats.put("filter_time_ms", 20);
    stats.put("watermark_time_ms", 5);
    stats.put("format_time_ms", 7);
    stats.put("host_map", hostMap);
    stats.put("total_time_ms", 10 * i + 32);
    stats.put("processed_size_bytes", image.length);
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("success", true);
    a.put("message", "Processing completed successfully");
    a.put("process_id", "p" + i);
    a.put("processed_image", image);
    a.put("stats", stats);
    return a;
  }

  @Test
  void aBatchRunsOffTheUiThreadAndSuccessFalseCountsAsAFailure() throws Exception {
    byte[] processed = png(32, 18);
    Thread testThread = Thread.currentThread();
    List<Thread> callers = Collections.synchronizedList(new ArrayList<>());
    PipelineService svc = (name, img, opts) -> {
      callers.add(Thread.currentThread());
      int i = indexOf(name);
      if (i == 2) {
        return Map.of("success", false, "message", "Watermark failed: boom", "process_id", "p2");
      }
      return ok(i, processed);
    };
    PanelController c = controller(svc);
    PanelModel m = c.model();
    assertTrue(c.start(settings(3, 1)));
    assertTrue(m.running());
    ui.drainUntil(() -> m.summary() != null, Duration.ofSeconds(30));

    assertEquals(3, callers.size());
    assertFalse(callers.contains(testThread), "process_image ran on the UI thread");
    assertFalse(m.running());
    assertEquals(3, m.done());
    assertEquals(3, m.total());
    assertEquals(2, m.succeededCount());
    assertEquals(1, m.failedCount());
    assertEquals("Complete: 2/3 successful, 1 failed", m.status());
    ImageResult failed = m.results().get(1);
    assertEquals(2, failed.index());
    assertFalse(failed.success());
    assertEquals("Watermark failed: boom", failed.message());
    assertTrue(m.logText().contains("IMAGE 3/3: Processing..."), m.logText());
    assertTrue(m.logText().contains("image 2 FAILED: Watermark failed: boom"), m.logText());
    assertTrue(m.logText().contains("Total images: 3 | successful: 2 | failed: 1"), m.logText());
    assertTrue(Files.exists(dir.resolve("out/batch_001.png")));
    assertFalse(Files.exists(dir.resolve("out/batch_002.png")));
    assertEquals(processed.length, Files.size(dir.resolve("out/batch_003.png")));
    // Two successful images x (Resize, 2 filters, Watermark, Format), counted per node host.
    Map<String, Map<String, Integer>> d = m.distribution();
    assertEquals(Map.of("Resize", 2, "Filter", 2, "Watermark", 2, "Orchestrator", 2), d.get("127.0.0.2"));
    assertEquals(Map.of("Filter", 2, "Format", 2), d.get("127.0.0.3"));
    assertEquals(List.of("Resize", "Filter", "Watermark", "Orchestrator"), List.copyOf(d.get("127.0.0.2").keySet()));
    // The preview shows the last picture sent and the last one returned, decoded and scaled.
    assertNotNull(m.before().image());
    assertTrue(m.before().caption().startsWith("before: batch_00"), m.before().caption());
    assertNotNull(m.after());
    assertEquals(32, m.after().image().getWidth());
  }

  @Test
  void theModelChangesOnlyWhenTheUiThreadRunsTheUpdates() throws Exception {
    CountDownLatch called = new CountDownLatch(3);
    byte[] processed = png(8, 8);
    PanelController c = controller((name, img, opts) -> {
      called.countDown();
      return ok(indexOf(name), processed);
    });
    c.start(settings(3, 3));
    assertTrue(called.await(30, TimeUnit.SECONDS));
    Thread.sleep(200);
    assertEquals(0, c.model().done(), "a worker thread changed the model");
    assertTrue(c.model().results().isEmpty());
    ui.drainUntil(() -> c.model().summary() != null, Duration.ofSeconds(30));
    assertEquals(3, c.model().results().size());
  }

  @Test
  void aSecondStartWhileRunningIsRefusedAndLogged() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    byte[] processed = png(8, 8);
    PanelController c = controller((name, img, opts) -> {
      release.await(30, TimeUnit.SECONDS);
      return ok(indexOf(name), processed);
    });
    assertTrue(c.start(settings(2, 1)));
    assertFalse(c.start(settings(2, 1)));
    assertTrue(c.model().log().contains("Processing already in progress!"));
    release.countDown();
    ui.drainUntil(() -> c.model().summary() != null, Duration.ofSeconds(30));
    assertEquals(2, c.model().succeededCount());
  }

  @Test
  void cancelLetsTheImageInFlightFinishAndSendsNoOther() throws Exception {
    CountDownLatch inFlight = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger calls = new AtomicInteger();
    byte[] processed = png(8, 8);
    PanelController c = controller((name, img, opts) -> {
      calls.incrementAndGet();
      inFlight.countDown();
      release.await(30, TimeUnit.SECONDS);
      return ok(indexOf(name), processed);
    });
    PanelModel m = c.model();
    c.start(settings(10, 1));
    assertTrue(inFlight.await(30, TimeUnit.SECONDS));
    ui.drain();
    c.cancel();
    assertTrue(m.cancelRequested());
    assertEquals("Cancelling: the images already sent finish first...", m.status());
    release.countDown();
    ui.drainUntil(() -> m.summary() != null, Duration.ofSeconds(30));
    assertEquals(1, calls.get());
    assertTrue(m.summary().cancelled());
    assertEquals(9, m.summary().notRun());
    assertEquals("Cancelled: 1 successful, 0 failed, 9 not run", m.status());
    assertFalse(m.running());
  }

  @Test
  void transportErrorsBecomeFailedRowsAndLogLinesNotCrashes() throws Exception {
    PanelController c = controller((name, img, opts) -> {
      throw new IOException("process_image on http://127.0.0.1:1/RPC2 failed: Connection refused");
    });
    c.start(settings(2, 2));
    ui.drainUntil(() -> c.model().summary() != null, Duration.ofSeconds(30));
    assertEquals(2, c.model().failedCount());
    assertEquals("Complete: 0/2 successful, 2 failed", c.model().status());
    assertTrue(c.model().logText().contains("image 1 FAILED: process_image on http://127.0.0.1:1/RPC2 failed: "
        + "Connection refused"), c.model().logText());
  }

  @Test
  void wrongSettingsDoNotStartAndSayWhy() {
    PanelController c = controller((name, img, opts) -> {
      throw new AssertionError("must not be called");
    });
    assertFalse(c.start(settings(0, 1)));
    assertFalse(c.model().running());
    assertEquals("Check the settings: The image count must be between 1 and 100.", c.model().status());
    assertTrue(c.model().log().contains("Cannot start: The image count must be between 1 and 100."));
  }

  @Test
  void aFolderWithoutImagesEndsTheBatchWithTheReason() throws Exception {
    Path empty = Files.createDirectories(dir.resolve("empty"));
    PanelSettings d = settings(3, 1);
    PanelSettings s = new PanelSettings(d.services(), d.callTimeout(), 3, PanelSettings.SourceKind.FOLDER, empty,
        d.outputFolder(), 1, 320, 180, true, true, d.filters(), 1.0, true, "x", "bottom-right", 20, "#FFFFFF", 0.8,
        "JPEG", 90);
    PanelController c = controller((name, img, opts) -> {
      throw new AssertionError("must not be called");
    });
    assertTrue(c.start(s));
    ui.drainUntil(() -> !c.model().running(), Duration.ofSeconds(30));
    assertTrue(c.model().status().startsWith("Processing failed: input folder " + empty + " holds no images"),
        c.model().status());
  }

  @Test
  void folderImagesAreSentWithTheFormsOptionsAndNamedAfterTheFormat() throws Exception {
    Path in = Files.createDirectories(dir.resolve("in"));
    Files.write(in.resolve("cat.png"), png(40, 30));
    Files.write(in.resolve("dog.png"), png(30, 40));
    List<Map<String, Object>> sent = Collections.synchronizedList(new ArrayList<>());
    List<String> names = Collections.synchronizedList(new ArrayList<>());
    byte[] processed = png(8, 8);
    PanelController c = controller((name, img, opts) -> {
      sent.add(opts);
      names.add(name);
      return ok(1, processed);
    });
    PanelSettings d = settings(5, 1);
    PanelSettings s = new PanelSettings(d.services(), d.callTimeout(), 5, PanelSettings.SourceKind.FOLDER, in,
        d.outputFolder(), 1, 640, 0, true, false, List.of("NEGATIVE"), 0.7, false, "", "center", 20, "red", 0.5,
        "JPEG", 80);
    c.start(s);
    ui.drainUntil(() -> c.model().summary() != null, Duration.ofSeconds(30));
    assertEquals(List.of("out/cat.jpg", "out/dog.jpg"), names);
    assertEquals(List.of("NEGATIVE"), sent.get(0).get("filters"));
    assertEquals(false, sent.get(0).get("add_watermark"));
    assertEquals(0.7, sent.get(0).get("filter_intensity"));
    assertEquals("JPEG", sent.get(1).get("output_format"));
    assertTrue(Files.exists(dir.resolve("out/dog.jpg")));
  }

  @Test
  void clearOutputAsksFirstAndDeletesOnlyWhatABatchWrites() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    for (String f : List.of("batch_001.png", "b.JPG", "results.csv", "notes.txt")) {
      Files.writeString(out.resolve(f), "x");
    }
    Files.createDirectories(out.resolve("keep"));
    PanelController c = controller((name, img, opts) -> null);
    dialogs.answer = false;
    c.clearOutput(out);
    assertEquals(1, dialogs.asked.size());
    assertTrue(dialogs.asked.get(0).startsWith("Delete the 3 image and CSV files in "), dialogs.asked.get(0));
    assertTrue(Files.exists(out.resolve("batch_001.png")));
    assertTrue(c.model().log().contains("Clear output cancelled; nothing deleted."));

    dialogs.answer = true;
    c.clearOutput(out);
    ui.drainUntil(() -> c.model().logText().contains("Output folder cleared"), Duration.ofSeconds(10));
    assertFalse(Files.exists(out.resolve("batch_001.png")));
    assertFalse(Files.exists(out.resolve("b.JPG")));
    assertFalse(Files.exists(out.resolve("results.csv")));
    assertTrue(Files.exists(out.resolve("notes.txt")));
    assertTrue(Files.isDirectory(out.resolve("keep")));
    assertTrue(c.model().logText().contains("Output folder cleared: 3 files deleted"), c.model().logText());

    c.clearOutput(dir.resolve("missing"));
    assertEquals(2, dialogs.asked.size(), "nothing to delete, nothing to ask");
    assertTrue(c.model().logText().contains("Output folder doesn't exist"));
  }

  @Test
  void openOutputUsesTheDesktopOrSaysWhereTheFolderIs() throws Exception {
    Path out = Files.createDirectories(dir.resolve("out"));
    PanelController c = controller((name, img, opts) -> null);
    c.openOutput(out);
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (opened.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(5);
    }
    assertEquals(List.of(out.toAbsolutePath().normalize()), opened);

    openSupported = false;
    c.openOutput(out);
    assertEquals(1, dialogs.told.size());
    assertTrue(dialogs.told.get(0).contains("cannot open folders") && dialogs.told.get(0).contains(out.toString()),
        dialogs.told.get(0));

    c.openOutput(dir.resolve("nope"));
    assertTrue(dialogs.told.get(1).contains("does not exist yet"), dialogs.told.get(1));
    assertEquals(1, opened.size());
  }

  @Test
  void theResultsExportAsCsvWithOneRowPerImage() throws Exception {
    byte[] processed = png(8, 8);
    PanelController c = controller((name, img, opts) -> indexOf(name) == 2
        ? Map.of("success", false, "message", "Filter failed: bad \"value\", try again")
        : ok(indexOf(name), processed));
    c.start(settings(3, 1));
    ui.drainUntil(() -> c.model().summary() != null, Duration.ofSeconds(30));
    Path csv = dir.resolve("export/results.csv");
    c.exportCsv(csv);
    ui.drainUntil(() -> c.model().logText().contains("Results exported: 3 rows"), Duration.ofSeconds(10));
    List<String> lines = Files.readAllLines(csv);
    assertEquals(4, lines.size());
    assertEquals(String.join(",", ResultsCsv.HEADER), lines.get(0));
    assertTrue(lines.get(1).startsWith("1,batch_001.png,true,Processing completed successfully,42,"), lines.get(1));
    assertTrue(lines.get(1).contains(",10,127.0.0.2:50052,20,127.0.0.3:50053 127.0.0.2:50053,5,127.0.0.2:50054,7,"
        + "127.0.0.3:50056,1,"), lines.get(1));
    assertTrue(lines.get(2).startsWith("2,batch_002.png,false,\"Filter failed: bad \"\"value\"\", try again\",,"),
        lines.get(2));
  }
}
