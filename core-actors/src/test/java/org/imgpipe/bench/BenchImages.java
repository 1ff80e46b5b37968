package org.imgpipe.bench;

import org.imgpipe.imaging.Raster;
import org.imgpipe.testing.TestImages;

/** The inputs every benchmark shares, built once per JVM. */
final class BenchImages {

  /** A 1920x1080 photo-like image (noise and texture: the hard case for PNG). */
  static final Raster PHOTO_1080P = TestImages.photoLike(1920, 1080, 42);

  /** A 1920x1080 smooth image (gradients and flat shapes, like the demo's synthetic batch). */
  static final Raster SMOOTH_1080P = TestImages.smoothScene(1920, 1080);

  private BenchImages() {}

  static Raster source(String kind) {
    return kind.equals("photo") ? PHOTO_1080P : SMOOTH_1080P;
  }
}
