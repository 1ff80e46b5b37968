package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import java.util.List;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.imaging.ImageFormat;
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
  void estimateCountsInputDecoderWorkingRastersAndAnswer() {
    StageWork w = work("64 MiB");
    Raster r = TestImages.solid(100, 50, 10, 20, 30);
    ImagePayload.Decoded decoded = new ImagePayload.Decoded(r, ImageFormat.PNG);
    // Input raster, output raster: 2 x 4 bytes x 5000 pixels.
    assertEquals(40_000, w.peakBytes(new StageJob.TextWatermark("x", "bottom-right", 20, "white", 0.5, false), decoded));
    // BLUR: input, then 1 + 5 rasters of work, then the encoded answer.
    assertEquals(4 * 5000 * 8, w.peakBytes(blur(), decoded));
    byte[] png = TestImages.png(r);
    byte[] jpeg = TestImages.jpeg(r, 90);
    StageJob.Resize half = new StageJob.Resize(50, 25, true, false);
    // Encoded PNG: its bytes and 4 bytes a pixel decoded; resize to 50x25: output plus the 50x50
    // one-axis intermediate.
    assertEquals(png.length + 4 * 5000 + 4 * (50 * 25 + 50 * 50), w.peakBytes(half, new ImagePayload.Encoded(png)));
    // A JPEG this small goes through ImageIO's 3-byte image, next to the int raster: 8 bytes a pixel.
    assertEquals(jpeg.length + 8 * 5000 + 4 * (50 * 25 + 50 * 50), w.peakBytes(half, new ImagePayload.Encoded(jpeg)));
    // GIF goes through an AWT image first: 8 bytes a pixel.
    byte[] gif = TestImages.encode(r, ImageFormat.GIF, 0);
    assertEquals(gif.length + 8 * 5000 + 4 * (50 * 25 + 50 * 50), w.peakBytes(half, new ImagePayload.Encoded(gif)));
    // Unreadable data counts nothing: the decoder then gives its own error.
    assertEquals(0, w.peakBytes(half, new ImagePayload.Encoded(new byte[] {1, 2, 3})));
  }

  @Test
  void jobLargerThanTheBudgetFailsWithTheSizesAndSmallerJobsStillRun() {
    StageWork w = work("20 MiB");
    assertEquals(20L << 20, w.memory().budget());
    byte[] big = TestImages.png(TestImages.photoLike(1000, 1000, 5));
    // 1000x1000 through BLUR: input, 6 rasters of work and the PNG answer, 4 MB each: about 31 MB.
    StageResult refused = w.run(blur(), new ImagePayload.Encoded(big));
    assertEquals(StageResult.Status.FAILED, refused.status());
    assertTrue(refused.message().startsWith("image too large for this node's memory: it needs about 3"),
        refused.message());
    assertTrue(refused.message().contains("the node allows 20 MB for image work"), refused.message());

    // The same image resized to 500x500 needs about 8 MB and runs; the memory is given back after.
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
