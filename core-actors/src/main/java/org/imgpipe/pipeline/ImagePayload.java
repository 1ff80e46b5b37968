package org.imgpipe.pipeline;

import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.Raster;

/** An image travelling through the pipeline: the bytes a client sent, or a decoded raster. */
public sealed interface ImagePayload {

  /** Approximate size in bytes, used for transport checks and logs. */
  long sizeBytes();

  /** Encoded bytes (PNG, JPEG, ...) exactly as received or as produced by an encoding stage. */
  record Encoded(byte[] bytes) implements ImagePayload {
    @Override
    public long sizeBytes() {
      return bytes.length;
    }
  }

  /** A decoded image; between stages of process_image the image travels in this form. */
  record Decoded(Raster raster, ImageFormat sourceFormat) implements ImagePayload {
    @Override
    public long sizeBytes() {
      return (long) raster.width() * raster.height() * (raster.hasAlpha() ? 4 : 3);
    }
  }
}
