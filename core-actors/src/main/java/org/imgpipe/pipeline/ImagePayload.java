package org.imgpipe.pipeline;

import akka.actor.typed.ActorRef;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.Raster;

/**
 * An image travelling through the pipeline: the bytes a client sent, a decoded raster, or a reference to
 * a raster that stays on the node whose slot made it until the next stage takes it.
 */
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

  /**
   * A stage's output held by {@code outputs} (a {@link StageOutputs} on the node whose slot made it, cluster
   * address {@code member}) under {@code key}; the next stage's slot gets the image itself from there
   * (docs/decisions/pipeline.md, 10).
   */
  record Held(ActorRef<StageOutputs.Command> outputs, String member, String key, int width, int height,
      boolean alpha, ImageFormat sourceFormat) implements ImagePayload {
    @Override
    public long sizeBytes() {
      return (long) width * height * (alpha ? 4 : 3);
    }
  }
}
