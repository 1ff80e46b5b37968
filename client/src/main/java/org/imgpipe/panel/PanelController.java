package org.imgpipe.panel;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.function.Function;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.demo.BatchRunner;
import org.imgpipe.demo.BatchSummary;
import org.imgpipe.demo.BusyRetry;
import org.imgpipe.demo.ImageResult;
import org.imgpipe.demo.PipelineService;
import org.imgpipe.xmlrpc.client.ImgpipeClient;

/**
 * The panel's actions: start and cancel a batch, probe the services, clear and open the output folder,
 * export the results. Called on the event-dispatch thread; every call that touches the network or the
 * disk runs on the background executor, and every change to the {@link PanelModel} goes back through
 * the UI executor ({@code SwingUtilities::invokeLater} in the panel).
 */
public final class PanelController {

  /** Questions and notices that need the user. */
  public interface Dialogs {
    boolean confirm(String title, String question);

    void inform(String title, String message);
  }

  /** Opens a folder in the desktop's file manager. */
  public interface FolderOpener {
    boolean supported();

    void open(Path folder) throws IOException;
  }

  /** Files "Clear output" deletes: what a batch writes, nothing else. */
  static final Set<String> OUTPUT_EXTENSIONS = Set.of("png", "jpg", "jpeg", "webp", "gif", "bmp", "csv");

  private static final int PREVIEW_SIZE = 360;
  /** Per check; a node that takes longer to answer a listMethods is as good as down for a batch. */
  private static final java.time.Duration PROBE_TIMEOUT = java.time.Duration.ofSeconds(5);

  private final PanelModel model;
  private final Executor ui;
  private final ExecutorService background;
  private final Function<PanelSettings, PipelineService> services;
  private final Dialogs dialogs;
  private final FolderOpener opener;
  private volatile BatchRunner runner;
  private volatile boolean cancelRequested;

  public PanelController(PanelModel model, Executor ui, ExecutorService background,
      Function<PanelSettings, PipelineService> services, Dialogs dialogs, FolderOpener opener) {
    this.model = model;
    this.ui = ui;
    this.background = background;
    this.services = services;
    this.dialogs = dialogs;
    this.opener = opener;
  }

  /** The production service: one XML-RPC client for the orchestrator address. */
  public static PipelineService xmlRpcService(PanelSettings s) {
    ImgpipeClient client = new ImgpipeClient(s.services().host(), s.services().port(Role.ORCHESTRATOR),
        s.callTimeout());
    return client::processImage;
  }

  public PanelModel model() {
    return model;
  }

  /**
   * Starts a batch unless one is running or the settings are wrong (both are logged).
   *
   * @return whether a batch was started
   */
  public boolean start(PanelSettings settings) {
    if (model.running()) {
      model.log("Processing already in progress!");
      return false;
    }
    List<String> problems = settings.problems();
    if (!problems.isEmpty()) {
      problems.forEach(p -> model.log("Cannot start: " + p));
      model.status("Check the settings: " + problems.get(0));
      return false;
    }
    cancelRequested = false;
    runner = null;
    String what = settings.source() == PanelSettings.SourceKind.FOLDER
        ? "up to " + settings.imageCount() + " images from " + settings.inputFolder()
        : settings.imageCount() + " synthetic images";
    model.begin(settings.imageCount(), what + " via " + settings.services().orchestratorAddress()
        + " (" + settings.concurrency() + " in parallel)");
    background.execute(() -> runBatch(settings));
    return true;
  }

  private void runBatch(PanelSettings settings) {
    try {
      PanelSource source = PanelSource.of(settings);
      PipelineService service = previewing(services.apply(settings));
      BatchRunner r = new BatchRunner(service, source, settings.outputFolder(), settings.concurrency(),
          BusyRetry.DEFAULT);
      runner = r;
      if (cancelRequested) {
        r.cancel();
      }
      r.run(new BatchRunner.Listener() {
        @Override
        public void started(int total, Path outputDir) {
          ui.execute(() -> model.started(total, outputDir));
        }

        @Override
        public void imageStarted(int index, int total) {
          ui.execute(() -> model.imageStarted(index, total));
        }

        @Override
        public void imageFinished(ImageResult result, int done, int total) {
          ui.execute(() -> model.imageFinished(result, done, total));
        }

        @Override
        public void finished(BatchSummary summary) {
          ui.execute(() -> model.finished(summary));
        }
      });
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      ui.execute(() -> model.failedToStart("interrupted"));
    } catch (IOException | RuntimeException e) {
      String m = ServiceProbe.rootMessage(e);
      ui.execute(() -> model.failedToStart(m));
    }
  }

  /** Stops handing out images; those in flight finish and are reported, then the batch ends. */
  public void cancel() {
    if (!model.running()) {
      return;
    }
    cancelRequested = true;
    BatchRunner r = runner;
    if (r != null) {
      r.cancel();
    }
    model.cancelling();
  }

  /** Checks every service and the node's health; the indicators turn as the answers come. */
  public void probe(ServiceAddresses services) {
    if (!services.problems().isEmpty()) {
      model.log("Cannot check: " + services.problems().get(0));
      return;
    }
    ServiceProbe probe = new ServiceProbe(PROBE_TIMEOUT);
    for (String name : ServiceProbe.indicatorNames()) {
      model.probe(name, ServiceProbe.Status.CHECKING);
    }
    for (Role role : ServiceAddresses.ORDER) {
      String name = ServiceAddresses.label(role);
      background.execute(() -> {
        ServiceProbe.Status s = probe.service(services.host(), services.port(role));
        ui.execute(() -> model.probe(name, s));
      });
    }
    background.execute(() -> {
      ServiceProbe.Status s = probe.health(services.host(), services.port(Role.ORCHESTRATOR));
      ui.execute(() -> model.probe(ServiceProbe.HEALTH, s));
    });
  }

  /** The files "Clear output" would delete. */
  static List<Path> outputFiles(Path folder) throws IOException {
    List<Path> files = new ArrayList<>();
    if (!Files.isDirectory(folder)) {
      return files;
    }
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
      for (Path p : ds) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        int dot = n.lastIndexOf('.');
        if (Files.isRegularFile(p) && dot > 0 && OUTPUT_EXTENSIONS.contains(n.substring(dot + 1))) {
          files.add(p);
        }
      }
    }
    files.sort(null);
    return files;
  }

  /**
   * Deletes the image and CSV files in the output folder after asking. Other files and sub-folders
   * stay: pointing the panel at a folder of one's own must not cost anything but its batch output.
   */
  public void clearOutput(Path folder) {
    if (model.running()) {
      model.log("Cannot clear the output while a batch is running.");
      return;
    }
    Path abs = folder.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      model.log("Output folder doesn't exist: " + abs);
      return;
    }
    List<Path> files;
    try {
      files = outputFiles(abs);
    } catch (IOException e) {
      model.log("Cannot read the output folder " + abs + ": " + ServiceProbe.rootMessage(e));
      return;
    }
    if (files.isEmpty()) {
      model.log("Output folder is already empty: " + abs);
      return;
    }
    if (!dialogs.confirm("Clear output", "Delete the " + files.size() + " image and CSV files in " + abs + "?")) {
      model.log("Clear output cancelled; nothing deleted.");
      return;
    }
    background.execute(() -> {
      int deleted = 0;
      List<String> errors = new ArrayList<>();
      for (Path p : files) {
        try {
          Files.deleteIfExists(p);
          deleted++;
        } catch (IOException e) {
          errors.add(p.getFileName() + ": " + ServiceProbe.rootMessage(e));
        }
      }
      int n = deleted;
      ui.execute(() -> {
        model.log("Output folder cleared: " + n + " files deleted from " + abs);
        errors.forEach(e -> model.log("  could not delete " + e));
      });
    });
  }

  /** Opens the output folder in the file manager, or says where it is when the desktop cannot. */
  public void openOutput(Path folder) {
    Path abs = folder.toAbsolutePath().normalize();
    if (!Files.isDirectory(abs)) {
      dialogs.inform("Open output folder", "The output folder " + abs + " does not exist yet: run a batch first.");
      return;
    }
    if (!opener.supported()) {
      model.log("This desktop cannot open folders from Java; the output is in " + abs);
      dialogs.inform("Open output folder", "This desktop cannot open folders from Java.\nThe output is in:\n" + abs);
      return;
    }
    background.execute(() -> {
      try {
        opener.open(abs);
      } catch (IOException | RuntimeException e) {
        String m = ServiceProbe.rootMessage(e);
        ui.execute(() -> {
          model.log("Cannot open " + abs + ": " + m);
          dialogs.inform("Open output folder", "Cannot open " + abs + ":\n" + m);
        });
      }
    });
  }

  /** Writes the results table as CSV. */
  public void exportCsv(Path file) {
    List<ImageResult> rows = List.copyOf(model.results());
    if (rows.isEmpty()) {
      model.log("No results to export yet.");
      return;
    }
    background.execute(() -> {
      try {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
          Files.createDirectories(parent);
        }
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
          ResultsCsv.write(rows, w);
        }
        ui.execute(() -> model.log("Results exported: " + rows.size() + " rows to " + file.toAbsolutePath()));
      } catch (IOException | RuntimeException e) {
        String m = ServiceProbe.rootMessage(e);
        ui.execute(() -> model.log("Cannot export the results to " + file + ": " + m));
      }
    });
  }

  /** Cancels a running batch and stops the background threads. */
  public void shutdown() {
    BatchRunner r = runner;
    if (r != null) {
      r.cancel();
    }
    background.shutdownNow();
  }

  /** The service wrapped so the sent and the returned picture reach the preview. */
  private PipelineService previewing(PipelineService inner) {
    return (filename, image, options) -> {
      String name = filename.substring(filename.lastIndexOf('/') + 1);
      publishPreview(false, image, "before: " + name);
      Map<String, Object> answer = inner.processImage(filename, image, options);
      if (answer != null && Boolean.TRUE.equals(answer.get("success")) && answer.get("processed_image") instanceof byte[] b) {
        publishPreview(true, b, "after: " + name);
      }
      return answer;
    };
  }

  private void publishPreview(boolean isAfter, byte[] bytes, String caption) {
    PanelModel.Preview p;
    try {
      BufferedImage img = thumbnail(bytes, PREVIEW_SIZE);
      p = img == null
          ? new PanelModel.Preview(null, caption + " (no preview for this format)")
          : new PanelModel.Preview(img, caption + " (" + sizeOf(bytes) + ")");
    } catch (IOException | RuntimeException e) {
      p = new PanelModel.Preview(null, caption + " (cannot decode: " + ServiceProbe.rootMessage(e) + ")");
    }
    PanelModel.Preview shown = p;
    ui.execute(() -> model.preview(isAfter, shown));
  }

  private static String sizeOf(byte[] bytes) {
    return bytes.length >= 1024 * 1024
        ? String.format(Locale.ROOT, "%.1f MB", bytes.length / 1024.0 / 1024.0)
        : String.format(Locale.ROOT, "%.1f KB", bytes.length / 1024.0);
  }

  /**
   * Decodes with subsampling, so a 2560x1440 picture costs a fraction of a full decode, then scales to
   * at most {@code max} pixels on the long side. Null when no ImageIO reader knows the format.
   */
  static BufferedImage thumbnail(byte[] bytes, int max) throws IOException {
    try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        return null;
      }
      ImageReader reader = readers.next();
      try {
        reader.setInput(in, true, true);
        int w = reader.getWidth(0);
        int h = reader.getHeight(0);
        int step = Math.max(1, Math.max(w, h) / (2 * max));
        ImageReadParam param = reader.getDefaultReadParam();
        param.setSourceSubsampling(step, step, 0, 0);
        BufferedImage src = reader.read(0, param);
        double scale = Math.min(1.0, (double) max / Math.max(src.getWidth(), src.getHeight()));
        int tw = Math.max(1, (int) Math.round(src.getWidth() * scale));
        int th = Math.max(1, (int) Math.round(src.getHeight() * scale));
        BufferedImage out = new BufferedImage(tw, th, BufferedImage.TYPE_INT_RGB);
        java.awt.Graphics2D g = out.createGraphics();
        try {
          g.setRenderingHint(java.awt.RenderingHints.KEY_INTERPOLATION,
              java.awt.RenderingHints.VALUE_INTERPOLATION_BILINEAR);
          g.setColor(java.awt.Color.WHITE);
          g.fillRect(0, 0, tw, th);
          g.drawImage(src, 0, 0, tw, th, null);
        } finally {
          g.dispose();
        }
        return out;
      } finally {
        reader.dispose();
      }
    }
  }
}
