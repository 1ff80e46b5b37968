package org.imgpipe.pipeline;

import java.util.List;

/** What one slot is asked to do with one image; {@link #stage()} names the pool that runs it. */
public sealed interface StageJob {

  Stage stage();

  /** Resize; {@code encode} answers Encoded in the source format, else Decoded. */
  record Resize(int targetWidth, int targetHeight, boolean keepAspect, boolean encode) implements StageJob {
    @Override
    public Stage stage() {
      return Stage.RESIZE;
    }
  }

  /** Thumbnail that fits in size x size, never upscaling; always answers Encoded PNG. */
  record Thumbnail(int size) implements StageJob {
    @Override
    public Stage stage() {
      return Stage.RESIZE;
    }
  }

  /** One filter with its intensity. */
  record FilterStep(String name, double intensity) {}

  /** Filters applied in order; {@code encode} answers PNG, else Decoded. */
  record Filter(List<FilterStep> steps, boolean encode) implements StageJob {
    public Filter {
      steps = List.copyOf(steps);
    }

    @Override
    public Stage stage() {
      return Stage.FILTER;
    }
  }

  /** Text watermark; {@code encode} answers PNG, else Decoded. */
  record TextWatermark(String text, String position, int fontSize, String color, double opacity, boolean encode)
      implements StageJob {
    @Override
    public Stage stage() {
      return Stage.WATERMARK;
    }
  }

  /** Logo watermark; answers PNG. */
  record LogoWatermark(byte[] logo, String position, double scale, double opacity) implements StageJob {
    @Override
    public Stage stage() {
      return Stage.WATERMARK;
    }
  }

  /** Final encoding; always answers Encoded. */
  record Format(String format, int quality) implements StageJob {
    @Override
    public Stage stage() {
      return Stage.FORMAT;
    }
  }
}
