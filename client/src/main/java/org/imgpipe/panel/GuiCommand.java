package org.imgpipe.panel;

import java.awt.GraphicsEnvironment;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code imgpipe gui}: opens the desktop control panel and returns when its window is closed. */
@Command(name = "gui", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Opens the desktop control panel: run the batch against an orchestrator, watch progress, "
        + "per-stage times and the nodes that served each stage, export the results as CSV.")
public final class GuiCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Option(names = "--orchestrator", paramLabel = "HOST:PORT",
      description = "Orchestrator address shown in the panel (default 127.0.0.1 and the configured port).")
  String orchestrator;

  @Option(names = "--images", paramLabel = "N", description = "Image count to start with (1-100, default 30).")
  Integer images;

  @Option(names = "--input", paramLabel = "DIR", description = "Start with the images of DIR instead of synthetic ones.")
  Path input;

  @Option(names = "--output", paramLabel = "DIR", description = "Output folder (default output/).")
  Path output;

  @Override
  public Integer call() throws Exception {
    if (GraphicsEnvironment.isHeadless()) {
      spec.commandLine().getErr().println("imgpipe gui: no display: the panel needs a desktop session "
          + "(set DISPLAY, or run it under xvfb-run)");
      return 1;
    }
    PanelApp.showAndWait(initialSettings());
    return 0;
  }

  PanelSettings initialSettings() {
    PanelSettings d = PanelSettings.defaults();
    ServiceAddresses services = orchestrator == null ? d.services() : d.services().withOrchestrator(orchestrator);
    int count = images == null ? d.imageCount()
        : Math.max(PanelSettings.MIN_IMAGES, Math.min(PanelSettings.MAX_IMAGES, images));
    return new PanelSettings(services, d.callTimeout(), count,
        input == null ? d.source() : PanelSettings.SourceKind.FOLDER, input == null ? d.inputFolder() : input,
        output == null ? d.outputFolder() : output, d.concurrency(), d.targetWidth(), d.targetHeight(),
        d.keepAspect(), d.rotateLikeOriginal(), d.filters(), d.filterIntensity(), d.addWatermark(),
        d.watermarkText(), d.watermarkPosition(), d.watermarkFontSize(), d.watermarkColor(), d.watermarkOpacity(),
        d.outputFormat(), d.outputQuality());
  }
}
