package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.imaging.ImageDecoder;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.Raster;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;

/** Every stage job reserves its estimated peak heap from the node's image-memory budget. */
class StageWorkMemoryTest {

  private static StageWork work(String imageMemory) {
    return new StageWork(new ImgpipeSettings(ConfigFactory.parseString("imgpipe.limits.image-memory = " + imageMemory)
        .withFallback(ImgpipeSettings.reference()).resolve()));
  }

  private static StageJob.Filter blur() {
    return new StageJob.Filter(List.of(new StageJob.FilterStep("BLUR", 1.0)), true);
  }

  @Test
  void estimateCountsInputDecoderWorkingRastersAndAnswer() throws Exception {
    StageWork w = work("64 MiB");
    Raster r = TestImages.solid(100, 50, 10, 20, 30);
    ImagePayload.Decoded decoded = new ImagePayload.Decoded(r, ImageFormat.PNG);
    // Input raster, output raster: 2 x 4 bytes x 5000 pixels.
    assertEquals(40_000, w.peakBytes(new StageJob.TextWatermark("x", "bottom-right", 20, "white", 0.5, false), decoded));
    // BLUR: input, then 1 + 5 rasters of work, then the PNG encoder's parts and file.
    assertEquals(4 * 5000 * 7 + StageWork.answerBytes(ImageFormat.PNG, 100, 50), w.peakBytes(blur(), decoded));
    // PNG: up to three times the rows stored (4 bytes a pixel, a filter byte a row, 1% of headers).
    assertEquals(3 * ((4 * 5000 + 50) * 101 / 100) + (1 << 20), StageWork.answerBytes(ImageFormat.PNG, 100, 50));
    byte[] png = TestImages.png(r);
    byte[] jpeg = TestImages.jpeg(r, 90);
    ImageDecoder decoder = new ImageDecoder(ImagingLimits.DEFAULT);
    StageJob.Resize half = new StageJob.Resize(50, 25, true, false);
    // Encoded input: its bytes and the decoder's estimate for it (raster included); resize to 50x25:
    // output, the 50x50 one-axis intermediate and a band of transposed rows per core.
    int cores = Runtime.getRuntime().availableProcessors();
    for (byte[] encoded : new byte[][] {png, jpeg, TestImages.encode(r, ImageFormat.GIF, 0)}) {
      long decode = decoder.header(encoded).decodeBytes();
      assertTrue(decode > 4 * 5000, "the decode estimate includes the raster");
      assertEquals(encoded.length + decode + 4 * (50 * 25 + 50 * 50 + 50 * 100 * cores),
          w.peakBytes(half, new ImagePayload.Encoded(encoded)));
    }
    // Unreadable data counts nothing: the decoder then gives its own error.
    assertEquals(0, w.peakBytes(half, new ImagePayload.Encoded(new byte[] {1, 2, 3})));
  }

  /**
   * The estimate a job reserves is an upper bound of the arrays that hold its pixels (every array of
   * 512 KB or more it allocates, summed as if all were alive at once: LargeArrays), for every kind of
   * job and answer format, from a PNG and a JPEG. One thread, so that nothing is missed. The thread's
   * whole allocation is printed beside it: ImageIO's writers and the GIF quantiser make rows of garbage
   * (GIF: 80 bytes a pixel), which the live peak does not hold. The blur's float planes are rows of
   * 6 KB, below the threshold: its 5 working rasters in the estimate are its 3 planes and output.
   */
  @Test
  void everyJobsEstimateCoversThePixelArraysItAllocates() throws Exception {
    StageWork w = work("900 MiB");
    com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    byte[] png = TestImages.png(TestImages.photoLike(1500, 1000, 21));
    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(1500, 1000, 22), 90);
    byte[] logo = TestImages.png(TestImages.photoLikeWithAlpha(300, 200, 23));
    java.util.Map<String, StageJob> jobs = new java.util.LinkedHashMap<>();
    jobs.put("resize to half", new StageJob.Resize(750, 500, true, true));
    jobs.put("resize up, decoded answer", new StageJob.Resize(3000, 2000, false, false));
    jobs.put("thumbnail", new StageJob.Thumbnail(128));
    jobs.put("blur", blur());
    jobs.put("sharpen, edges, sepia", new StageJob.Filter(List.of(new StageJob.FilterStep("SHARPEN", 0.8),
        new StageJob.FilterStep("EDGE_DETECT", 0.8), new StageJob.FilterStep("SEPIA", 0.8)), true));
    jobs.put("text watermark", new StageJob.TextWatermark("imgpipe", "center", 120, "white", 0.5, true));
    jobs.put("logo watermark", new StageJob.LogoWatermark(logo, "top-left", 0.5, 0.5));
    for (String f : new String[] {"PNG", "JPEG", "WEBP", "GIF", "BMP"}) {
      jobs.put("format " + f, new StageJob.Format(f, 85));
    }
    org.imgpipe.imaging.Rows.maxParts(1);
    try {
      for (byte[] input : new byte[][] {png, jpeg}) {
        for (java.util.Map.Entry<String, StageJob> job : jobs.entrySet()) {
          ImagePayload in = new ImagePayload.Encoded(input);
          assertEquals(StageResult.Status.OK, w.run(job.getValue(), in).status(), job.getKey());
          long before = threads.getCurrentThreadAllocatedBytes();
          org.imgpipe.imaging.LargeArrays large = new org.imgpipe.imaging.LargeArrays();
          StageResult r = w.run(job.getValue(), in);
          long arrays = large.stop(org.imgpipe.imaging.LargeArrays.HUMONGOUS);
          long allocated = threads.getCurrentThreadAllocatedBytes() - before;
          long estimate = w.peakBytes(job.getValue(), in);
          System.out.printf("%-28s %-4s estimate %6.1f MB, allocated %6.1f MB, large arrays %6.1f MB (%d)%n",
              job.getKey(), input == png ? "PNG" : "JPEG", estimate / 1e6, allocated / 1e6, arrays / 1e6, large.count());
          assertEquals(StageResult.Status.OK, r.status(), r.message());
          // The estimate holds the encoded input, which the job received rather than allocated.
          assertTrue(arrays <= estimate - input.length, job.getKey() + ": arrays " + arrays + " > estimate "
              + estimate);
        }
      }
    } finally {
      org.imgpipe.imaging.Rows.maxParts(Runtime.getRuntime().availableProcessors());
    }
  }

  @Test
  void jobLargerThanTheBudgetFailsWithTheSizesAndSmallerJobsStillRun() {
    StageWork w = work("20 MiB");
    assertEquals(20L << 20, w.memory().budget());
    byte[] big = TestImages.png(TestImages.photoLike(1000, 1000, 5));
    // 1000x1000 through BLUR: input, 6 rasters of work, 4 MB each, and the PNG answer: about 42 MB.
    StageResult refused = w.run(blur(), new ImagePayload.Encoded(big));
    assertEquals(StageResult.Status.FAILED, refused.status());
    assertTrue(refused.message().startsWith("image too large for this node's memory: it needs about 4"),
        refused.message());
    assertTrue(refused.message().contains("the node allows 20 MB for image work"), refused.message());

    // The same image resized to 500x500 needs about 10 MB and runs; the memory is given back after.
    StageResult ok = w.run(new StageJob.Resize(500, 500, true, false), new ImagePayload.Encoded(big));
    assertEquals(StageResult.Status.OK, ok.status(), ok.message());
    assertEquals(500, ok.width());
    assertEquals(0, w.memory().inUse());
    assertTrue(w.memory().peak() > 4_000_000, "the resize reserved nothing");

    // A decompression bomb keeps its own, earlier message.
    StageResult bomb = w.run(blur(), new ImagePayload.Encoded(TestImages.pngClaimingSize(30000, 30000)));
    assertEquals("image of 30000x30000 pixels exceeds the limit of 50000000 pixels", bomb.message());
  }

  @Test
  void aJobWhoseDeadlineHasPassedDoesNoWorkAndTimesOut() {
    StageWork w = work("64 MiB");
    StageResult r = w.run(blur(), new ImagePayload.Decoded(TestImages.solid(100, 50, 1, 2, 3), ImageFormat.PNG),
        System.nanoTime() - 1);
    assertEquals(StageResult.Status.TIMEOUT, r.status());
    assertEquals("Filter stopped: the request's deadline passed", r.message());
    assertEquals(0, w.memory().peak(), "it reserved memory");
  }

  @Test
  void aBlurPastItsDeadlineStopsWithinTensOfMillisecondsAndTimesOut() {
    StageWork w = work("512 MiB");
    ImagePayload.Decoded big = new ImagePayload.Decoded(TestImages.photoLike(3000, 2000, 4), ImageFormat.PNG);
    // Compiled code, as on a live node.
    w.run(blur(), new ImagePayload.Decoded(TestImages.photoLike(600, 400, 4), ImageFormat.PNG));
    long start = System.nanoTime();
    StageResult r = w.run(blur(), big, start + 50_000_000L);
    long ms = (System.nanoTime() - start) / 1_000_000;
    assertEquals(StageResult.Status.TIMEOUT, r.status(), r.message());
    assertEquals("Filter stopped: the request's deadline passed", r.message());
    // The blur and PNG answer of 6 MP take seconds of CPU; GC pauses on a loaded machine are the slack.
    assertTrue(ms < 1000, "answered after " + ms + " ms");
    assertEquals(0, w.memory().inUse());
  }

  @Test
  void theWaitForMemoryEndsAtTheDeadline() throws Exception {
    StageWork w = work("20 MiB");
    byte[] png = TestImages.png(TestImages.photoLike(1000, 1000, 5));
    try (ImageMemory.Lease held = w.memory().reserve(w.memory().budget(), java.time.Duration.ZERO)) {
      long start = System.nanoTime();
      StageResult r = w.run(new StageJob.Resize(500, 500, true, false), new ImagePayload.Encoded(png),
          start + 300_000_000L);
      long ms = (System.nanoTime() - start) / 1_000_000;
      assertEquals(StageResult.Status.TIMEOUT, r.status(), r.message());
      assertEquals("Resize stopped: the request's deadline passed", r.message());
      assertTrue(ms >= 290 && ms < 2000, "waited " + ms + " ms");
    }
  }

  @Test
  void budgetIsAShareOfTheHeapOrASize() {
    ImgpipeSettings defaults = new ImgpipeSettings(ImgpipeSettings.reference().resolve());
    assertEquals((long) (Runtime.getRuntime().maxMemory() * 0.5), defaults.imageMemoryBytes());
    assertEquals((long) (Runtime.getRuntime().maxMemory() * 0.25), defaults.requestMemoryBytes());
    assertEquals(400L << 20, work("400 MiB").memory().budget());
    for (String bad : List.of("\"0%\"", "\"150%\"", "\"lots%\"", "1 MiB")) {
      IllegalArgumentException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
          () -> work(bad));
      assertTrue(e.getMessage().startsWith("imgpipe.limits.image-memory: "), e.getMessage());
    }
  }
}
