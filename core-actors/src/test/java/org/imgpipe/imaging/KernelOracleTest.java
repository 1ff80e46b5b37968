package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The fast BLUR, SHARPEN and EDGE_DETECT kernels give exactly the pixels of the code they replaced
 * (the *Reference copies), on demo-like, photo-like, noisy, translucent, odd and tiny images, for
 * several sigmas and intensities, with row splitting on and off.
 */
class KernelOracleTest {

  @AfterEach
  void splittingBackOn() {
    Rows.maxParts(Integer.MAX_VALUE);
  }

  private static List<Raster> images() {
    List<Raster> list = new ArrayList<>();
    list.add(DemoImages.demoRaster(320, 180));
    list.add(DemoImages.demoRaster(257, 131));
    list.add(TestImages.photoLike(203, 97, 7));
    list.add(TestImages.photoLikeWithAlpha(150, 77, 9));
    list.add(DemoImages.noise(131, 67, 3, false));
    list.add(DemoImages.noise(67, 131, 4, true));
    list.add(TestImages.smoothScene(99, 45));
    for (int[] wh : new int[][] {{1, 1}, {1, 7}, {7, 1}, {2, 2}, {3, 3}, {2, 5}, {5, 3}, {33, 2}, {4, 40}}) {
      list.add(DemoImages.noise(wh[0], wh[1], wh[0] * 31 + wh[1], (wh[0] & 1) == 0));
    }
    return list;
  }

  private static void assertSame(Raster expected, Raster actual, String what) {
    assertEquals(expected.width(), actual.width());
    assertEquals(expected.height(), actual.height());
    assertEquals(expected.hasAlpha(), actual.hasAlpha(), what);
    assertArrayEquals(expected.argb(), actual.argb(), what);
  }

  @Test
  void blurMatchesTheReferenceForManySigmas() {
    for (int parts : new int[] {1, 2}) {
      Rows.maxParts(parts);
      for (Raster r : images()) {
        for (double sigma : new double[] {1, 2, 3.5, 7, 20, 41, 119, 121, 150, 3000}) {
          assertSame(BoxGaussianReference.blur(r, sigma), BoxGaussian.blur(r, sigma),
              "sigma " + sigma + " on " + r + " in " + parts + " parts");
        }
      }
    }
  }

  @Test
  void blurMatchesTheReferenceOnADemoSizedImage() {
    Raster demo = DemoImages.demoRaster(1280, 720);
    Raster photo = TestImages.photoLike(1280, 720, 11);
    for (int parts : new int[] {1, 2}) {
      Rows.maxParts(parts);
      assertSame(BoxGaussianReference.blur(demo, 20), BoxGaussian.blur(demo, 20), "demo " + parts);
      assertSame(BoxGaussianReference.blur(photo, 20), BoxGaussian.blur(photo, 20), "photo " + parts);
    }
  }

  @Test
  void blurPlaneMatchesTheReference() {
    int w = 61;
    int h = 43;
    int[] plane = new int[w * h];
    java.util.SplittableRandom rnd = new java.util.SplittableRandom(5);
    for (int i = 0; i < plane.length; i++) {
      plane[i] = rnd.nextInt(1_000_000);
    }
    for (double sigma : new double[] {1, 6, 20}) {
      int[] a = plane.clone();
      int[] b = plane.clone();
      BoxGaussianReference.blurPlane(a, w, h, sigma);
      BoxGaussian.blurPlane(b, w, h, sigma);
      assertArrayEquals(a, b, "sigma " + sigma);
    }
  }

  @Test
  void sharpenAndEdgeDetectMatchTheReference() {
    for (int parts : new int[] {1, 2}) {
      Rows.maxParts(parts);
      List<Raster> list = images();
      list.add(DemoImages.demoRaster(1280, 720));
      for (Raster r : list) {
        for (double i : new double[] {0, 0.3, 1, 2.5, -0.7}) {
          assertSame(new SharpenReference(i).apply(r), new Sharpen(i).apply(r), "sharpen " + i + " " + r);
          assertSame(new EdgeDetectReference(i).apply(r), new EdgeDetect(i).apply(r), "edges " + i + " " + r);
        }
      }
    }
  }
}
