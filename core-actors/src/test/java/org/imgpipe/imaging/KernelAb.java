package org.imgpipe.imaging;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imgpipe.testing.TestImages;

/**
 * A/B timing of the issue 8 kernels against their frozen Reference copies, interleaved in one JVM:
 * thread CPU time (splitting off, so the caller's CPU is all the work) best and median, then wall
 * time with splitting on and off. Run from the test classpath:
 * {@code java -cp ... org.imgpipe.imaging.KernelAb [runs] [filter]}.
 */
final class KernelAb {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private interface Task {
    Object run() throws Exception;
  }

  private KernelAb() {}

  public static void main(String[] args) throws Exception {
    if (args.length > 1 && args[0].equals("write")) {
      // PNGs of split streams for a check by another zlib: KernelAb write DIR
      java.nio.file.Path dir = java.nio.file.Path.of(args[1]);
      java.nio.file.Files.write(dir.resolve("kb-demo-3parts.png"), PngCodec.encodeInParts(
          DemoImages.demoRaster(1280, 720), PngCodec.FILTER, PngCodec.LEVEL, 0, 3));
      java.nio.file.Files.write(dir.resolve("kb-alpha-2parts.png"), PngCodec.encodeInParts(
          TestImages.photoLikeWithAlpha(333, 257, 1), PngCodec.FILTER, PngCodec.LEVEL, 0, 2));
      return;
    }
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    String only = args.length > 1 ? args[1] : "";
    Raster demo = DemoImages.demoRaster(1280, 720);
    Raster photo = TestImages.photoLike(1280, 720, 3);
    Raster blurred = BoxGaussian.blur(demo, 20);
    byte[] png1080 = TestImages.imageIo(DemoImages.demo(1920, 1080), "png");
    byte[] png1440 = TestImages.imageIo(DemoImages.demo(2560, 1440), "png");
    byte[] photoPng = TestImages.imageIo(photo.toBufferedImage(), "png");
    Map<String, Task[]> pairs = new LinkedHashMap<>();
    pairs.put("BLUR 1280x720 demo", new Task[] {
        () -> BoxGaussianReference.blur(demo, 20), () -> BoxGaussian.blur(demo, 20)});
    pairs.put("BLUR 1280x720 photo", new Task[] {
        () -> BoxGaussianReference.blur(photo, 20), () -> BoxGaussian.blur(photo, 20)});
    pairs.put("SHARPEN 1280x720 demo", new Task[] {
        () -> new SharpenReference(1).apply(blurred), () -> new Sharpen(1).apply(blurred)});
    pairs.put("EDGE_DETECT 1280x720 photo", new Task[] {
        () -> new EdgeDetectReference(1).apply(photo), () -> new EdgeDetect(1).apply(photo)});
    pairs.put("PNG decode 1920x1080 demo (" + png1080.length / 1024 + " KiB)", new Task[] {
        () -> PngDecoder.decodeRows(png1080), () -> PngDecoder.decode(png1080)});
    pairs.put("PNG decode 2560x1440 demo (" + png1440.length / 1024 + " KiB)", new Task[] {
        () -> PngDecoder.decodeRows(png1440), () -> PngDecoder.decode(png1440)});
    pairs.put("PNG decode 1280x720 photo (" + photoPng.length / 1024 + " KiB)", new Task[] {
        () -> PngDecoder.decodeRows(photoPng), () -> PngDecoder.decode(photoPng)});
    System.out.printf("%-44s %22s %22s %18s%n", "", "reference best/median", "new best/median",
        "new wall 1 / N parts");
    for (Map.Entry<String, Task[]> e : pairs.entrySet()) {
      if (!e.getKey().contains(only)) {
        continue;
      }
      Task ref = e.getValue()[0];
      Task neu = e.getValue()[1];
      Rows.maxParts(1);
      for (int i = 0; i < 8; i++) {
        ref.run();
        neu.run();
      }
      long[] a = new long[runs];
      long[] b = new long[runs];
      for (int i = 0; i < runs; i++) {
        a[i] = cpu(ref);
        b[i] = cpu(neu);
      }
      long[] w1 = new long[runs];
      long[] wn = new long[runs];
      for (int i = 0; i < runs; i++) {
        Rows.maxParts(1);
        w1[i] = wall(neu);
        Rows.maxParts(Integer.MAX_VALUE);
        wn[i] = wall(neu);
      }
      System.out.printf("%-44s %10.1f / %7.1f ms %10.1f / %7.1f ms %7.1f / %5.1f ms%n", e.getKey(),
          best(a), median(a), best(b), median(b), median(w1), median(wn));
    }
  }

  private static long cpu(Task t) throws Exception {
    long t0 = THREADS.getCurrentThreadCpuTime();
    t.run();
    return THREADS.getCurrentThreadCpuTime() - t0;
  }

  private static long wall(Task t) throws Exception {
    long t0 = System.nanoTime();
    t.run();
    return System.nanoTime() - t0;
  }

  private static double best(long[] v) {
    return Arrays.stream(v).min().getAsLong() / 1e6;
  }

  private static double median(long[] v) {
    long[] s = v.clone();
    Arrays.sort(s);
    return s[s.length / 2] / 1e6;
  }
}
