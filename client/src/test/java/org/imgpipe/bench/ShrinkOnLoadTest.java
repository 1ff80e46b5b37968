package org.imgpipe.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import org.imgpipe.imaging.BoxReduce;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.Raster;
import org.imgpipe.imaging.Resize;
import org.junit.jupiter.api.Test;

/** The photo workload's shrink-on-load: k x k averages before the Lanczos3 resize. */
class ShrinkOnLoadTest {

  @Test
  void factorKeepsTheReducedSourceAtLeastAsLargeAsTheTarget() {
    assertEquals(2, BoxReduce.factor(2560, 1600, 1152, 720));
    assertEquals(1, BoxReduce.factor(1920, 1080, 1280, 720));
    assertEquals(4, BoxReduce.factor(6000, 4000, 1280, 853));
    assertEquals(1, BoxReduce.factor(100, 100, 0, 0));
  }

  @Test
  void blocksAreRoundedAveragesAndEdgeBlocksAverageWhatTheyHave() {
    // 5x3, k = 2: output 3x2; column 2 holds 1-pixel-wide blocks, row 1 1-pixel-high blocks.
    int[] px = new int[15];
    for (int i = 0; i < px.length; i++) {
      px[i] = 0xFF000000 | (i * 10) << 16 | (i * 5) << 8 | (255 - i * 7);
    }
    Raster out = BoxReduce.reduce(new Raster(px, 5, 3, false), 2);
    assertEquals(3, out.width());
    assertEquals(2, out.height());
    assertEquals(expected(px, 5, 0, 0, 2, 2), out.argb()[0]);
    assertEquals(expected(px, 5, 4, 0, 1, 2), out.argb()[2]);
    assertEquals(expected(px, 5, 2, 2, 2, 1), out.argb()[4]);
    assertEquals(expected(px, 5, 4, 2, 1, 1), out.argb()[5]);
  }

  @Test
  void theTwoByTwoFastPathEqualsTheGeneralAverage() {
    Raster src = photo(64, 40, 5);
    Raster fast = BoxReduce.reduce(src, 2);
    int[] want = new int[32 * 20];
    for (int y = 0; y < 20; y++) {
      for (int x = 0; x < 32; x++) {
        want[y * 32 + x] = expected(src.argb(), 64, 2 * x, 2 * y, 2, 2);
      }
    }
    assertArrayEquals(want, fast.argb());
  }

  @Test
  void shrinkThenResizeGivesTheSameSizeAndNearlyTheSamePixels() throws Exception {
    Raster src = photo(640, 400, 9);
    Resize resize = new Resize(288, 180, true, ImagingLimits.DEFAULT);
    Raster plain = resize.apply(src);
    Raster shrunk = BoxReduce.resize(src, resize);
    assertEquals(plain.width(), shrunk.width());
    assertEquals(plain.height(), shrunk.height());
    long diff = 0;
    for (int i = 0; i < plain.argb().length; i++) {
      for (int s = 0; s <= 16; s += 8) {
        diff += Math.abs(((plain.argb()[i] >> s) & 0xFF) - ((shrunk.argb()[i] >> s) & 0xFF));
      }
    }
    double mean = (double) diff / (3.0 * plain.argb().length);
    assertTrue(mean > 0 && mean < 4, "mean difference per channel against the full-size Lanczos3: " + mean);
  }

  @Test
  void translucentAndSmallReductionsAreLeftToTheResize() throws Exception {
    Raster alpha = new Raster(new int[64 * 64], 64, 64, true);
    assertSame(alpha, BoxReduce.reduce(alpha, 2));
    Resize resize = new Resize(20, 20, false, ImagingLimits.DEFAULT);
    assertArrayEquals(resize.apply(alpha).argb(), BoxReduce.resize(alpha, resize).argb());
    Raster src = photo(30, 30, 1);
    Resize small = new Resize(20, 20, false, ImagingLimits.DEFAULT);
    assertArrayEquals(small.apply(src).argb(), BoxReduce.resize(src, small).argb());
  }

  private static int expected(int[] px, int w, int x0, int y0, int bw, int bh) {
    int n = bw * bh;
    int r = 0;
    int g = 0;
    int b = 0;
    for (int y = y0; y < y0 + bh; y++) {
      for (int x = x0; x < x0 + bw; x++) {
        int p = px[y * w + x];
        r += (p >> 16) & 0xFF;
        g += (p >> 8) & 0xFF;
        b += p & 0xFF;
      }
    }
    return 0xFF000000 | ((r + n / 2) / n) << 16 | ((g + n / 2) / n) << 8 | ((b + n / 2) / n);
  }

  private static Raster photo(int w, int h, int seed) {
    BufferedImage img = PhotoImages.image(seed, w, h);
    int[] px = img.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < px.length; i++) {
      px[i] |= 0xFF000000;
    }
    return new Raster(px, w, h, false);
  }
}
