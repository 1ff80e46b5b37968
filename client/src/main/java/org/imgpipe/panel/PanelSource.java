package org.imgpipe.panel;

import java.io.IOException;
import org.imgpipe.demo.BatchItem;
import org.imgpipe.demo.BatchSource;
import org.imgpipe.demo.DirectorySource;
import org.imgpipe.demo.SyntheticBatch;

/**
 * The panel's batch: the synthetic pictures or the user's folder (both from the demo package), sent
 * with the options of the panel's form instead of the demo's fixed ones, and named after the chosen
 * output format (batch_001.jpg for JPEG).
 */
final class PanelSource implements BatchSource {

  private final BatchSource images;
  private final PanelSettings settings;

  private PanelSource(BatchSource images, PanelSettings settings) {
    this.images = images;
    this.settings = settings;
  }

  /** @throws IOException when the input folder is missing or holds no image */
  static PanelSource of(PanelSettings settings) throws IOException {
    BatchSource images = settings.source() == PanelSettings.SourceKind.FOLDER
        ? new DirectorySource(settings.inputFolder(), settings.imageCount(), false)
        : new SyntheticBatch(settings.imageCount());
    return new PanelSource(images, settings);
  }

  @Override
  public int size() {
    return images.size();
  }

  @Override
  public BatchItem item(int index) throws IOException {
    BatchItem raw = images.item(index);
    return new BatchItem(index, rename(raw.name()), raw.image(), settings.processOptions(index));
  }

  private String rename(String name) {
    int dot = name.lastIndexOf('.');
    return (dot > 0 ? name.substring(0, dot) : name) + "." + settings.outputExtension();
  }

  @Override
  public String describe() {
    return images.describe();
  }
}
