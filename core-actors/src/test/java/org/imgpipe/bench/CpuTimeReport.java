package org.imgpipe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imgpipe.imaging.FilterType;
import org.imgpipe.imaging.ImageDecoder;
import org.imgpipe.imaging.ImageEncoder;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.ImageOperation;
import org.imgpipe.imaging.ImagingException;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.LogoWatermark;
import org.imgpipe.imaging.Position;
import org.imgpipe.imaging.Raster;
import org.imgpipe.imaging.Resize;
import org.imgpipe.imaging.TextWatermark;
import org.imgpipe.imaging.Thumbnail;
import org.imgpipe.testing.TestImages;

/**
 * A companion to the JMH benchmarks for a shared machine: the same operations, timed by the
 * thread's CPU time (which does not count time spent waiting for a core), best and median of
 * several runs. Run: {@code mvn -pl core-actors test-compile exec:exec@cpu-report}.
 */
public final class CpuTimeReport {

  private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

  private interface Task {
    Object run() throws ImagingException;
  }

  private CpuTimeReport() {}

  public static void main(String[] args) throws Exception {
    // One thread does all the work, so that its CPU clock counts all of it (split kernels would run
    // part of their rows on pool threads this clock does not see).
    org.imgpipe.imaging.Rows.maxParts(1);
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 15;
    ImageDecoder decoder = new ImageDecoder(ImagingLimits.DEFAULT);
    ImageEncoder encoder = new ImageEncoder();
    Raster photo = BenchImages.PHOTO_1080P;
    Raster smooth = BenchImages.SMOOTH_1080P;
    Resize resize = new Resize(1280, 720, true, ImagingLimits.DEFAULT);
    Raster photo720 = resize.apply(photo);
    Raster chain720 = FilterType.SHARPEN.withIntensity(1).apply(FilterType.BLUR.withIntensity(1).apply(resize.apply(smooth)));
    byte[] smoothPng = encoder.encode(smooth, ImageFormat.PNG, 0);
    byte[] photoPng = encoder.encode(photo, ImageFormat.PNG, 0);
    byte[] photoJpeg = encoder.encode(photo, ImageFormat.JPEG, 90);
    TextWatermark text = new TextWatermark("Image #1", Position.BOTTOM_RIGHT, 30, "#FFFFFF", 0.8);
    LogoWatermark logo = new LogoWatermark(TestImages.photoLikeWithAlpha(400, 200, 3), Position.TOP_RIGHT, 0.2,
        0.7, ImagingLimits.DEFAULT);

    Map<String, Task> tasks = new LinkedHashMap<>();
    tasks.put("decode PNG 1920x1080 smooth (" + smoothPng.length / 1024 + " KiB)", () -> decoder.decode(smoothPng));
    tasks.put("decode PNG 1920x1080 photo (" + photoPng.length / 1024 + " KiB)", () -> decoder.decode(photoPng));
    tasks.put("decode JPEG 1920x1080 photo q90", () -> decoder.decode(photoJpeg));
    tasks.put("resize 1920x1080 -> 1280x720", () -> resize.apply(photo));
    tasks.put("thumbnail 256 from 1920x1080", () -> new Thumbnail(256, ImagingLimits.DEFAULT).apply(photo));
    for (FilterType f : FilterType.values()) {
      ImageOperation op = f.withIntensity(1.0);
      tasks.put(f + " 1280x720", () -> op.apply(photo720));
    }
    ImageOperation blur1 = FilterType.BLUR.withIntensity(0.05);
    ImageOperation blur200 = FilterType.BLUR.withIntensity(10);
    tasks.put("BLUR sigma 1 1280x720", () -> blur1.apply(photo720));
    tasks.put("BLUR sigma 200 1280x720", () -> blur200.apply(photo720));
    tasks.put("text watermark 1280x720", () -> text.apply(photo720));
    tasks.put("logo watermark 1280x720", () -> logo.apply(photo720));
    tasks.put("encode PNG 1280x720 (demo chain output)", () -> encoder.encode(chain720, ImageFormat.PNG, 0));
    tasks.put("encode PNG 1280x720 photo", () -> encoder.encode(photo720, ImageFormat.PNG, 0));
    tasks.put("encode JPEG 1280x720 photo q90", () -> encoder.encode(photo720, ImageFormat.JPEG, 90));
    ImageOperation blur = FilterType.BLUR.withIntensity(1);
    ImageOperation sharpen = FilterType.SHARPEN.withIntensity(1);
    tasks.put("demo chain, smooth source", () -> encoder.encode(text.apply(sharpen.apply(blur.apply(
        resize.apply(decoder.decode(smoothPng).raster())))), ImageFormat.PNG, 0));
    tasks.put("demo chain, photo source", () -> encoder.encode(text.apply(sharpen.apply(blur.apply(
        resize.apply(decoder.decode(photoPng).raster())))), ImageFormat.PNG, 0));

    System.out.printf("%-48s %10s %10s%n", "operation (CPU time, ms)", "best", "median");
    for (Map.Entry<String, Task> e : tasks.entrySet()) {
      for (int i = 0; i < 5; i++) {
        e.getValue().run();
      }
      List<Long> times = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        long t = THREADS.getCurrentThreadCpuTime();
        e.getValue().run();
        times.add(THREADS.getCurrentThreadCpuTime() - t);
      }
      long[] sorted = times.stream().mapToLong(Long::longValue).sorted().toArray();
      System.out.printf("%-48s %10.1f %10.1f%n", e.getKey(), sorted[0] / 1e6, sorted[sorted.length / 2] / 1e6);
    }
    System.out.println("load average: " + Arrays.toString(new double[] {
        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage()}));
  }
}
