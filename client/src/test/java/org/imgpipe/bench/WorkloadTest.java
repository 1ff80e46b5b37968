package org.imgpipe.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.imageio.ImageIO;
import org.imgpipe.demo.BatchItem;
import org.imgpipe.demo.BatchSource;
import org.imgpipe.demo.SyntheticBatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadTest {

  @Test
  void demoIsTheOriginalsThirtyImagesWithTheirOptions() throws Exception {
    Workload w = Workload.named("demo", null);
    assertEquals(30, w.items().size());
    BatchItem third = w.items().get(2);
    assertEquals(SyntheticBatch.options(3), third.options());
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(third.image()));
    assertEquals(2560, img.getWidth()); // image 3 is 2560x1440
    assertEquals(1440, img.getHeight());
  }

  @Test
  void photoOptionsAreTheIssuesChain() {
    Map<String, Object> o = Workload.photoOptions();
    assertEquals(1280, o.get("target_width"));
    assertEquals(720, o.get("target_height"));
    assertEquals(List.of("BLUR", "SHARPEN", "CONTRAST"), o.get("filters"));
    assertEquals(true, o.get("add_watermark"));
    assertEquals("JPEG", o.get("output_format"));
    assertEquals(85, o.get("output_quality"));
  }

  @Test
  void generatedPhotosAreFullSizeSeededJpegsWithDetailNotFlatColour() throws Exception {
    byte[] jpeg = PhotoImages.jpeg(3);
    assertEquals((byte) 0xFF, jpeg[0]);
    assertEquals((byte) 0xD8, jpeg[1]);
    BufferedImage img = ImageIO.read(new ByteArrayInputStream(jpeg));
    assertEquals(PhotoImages.WIDTH, img.getWidth());
    assertEquals(PhotoImages.HEIGHT, img.getHeight());
    assertTrue(jpeg.length > 500_000, "grain and texture keep a 4 MP JPEG large: " + jpeg.length);

    BufferedImage small = PhotoImages.image(3, 320, 200);
    assertArrayEquals(pixels(small), pixels(PhotoImages.image(3, 320, 200)), "same seed, same pixels");
    Set<Integer> colours = new HashSet<>();
    long neighbourDiff = 0;
    int[] p = pixels(small);
    for (int i = 0; i < p.length; i++) {
      colours.add(p[i] & 0xFFFFFF);
      if (i % 320 != 0) {
        neighbourDiff += Math.abs(((p[i] >> 8) & 0xFF) - ((p[i - 1] >> 8) & 0xFF));
      }
    }
    assertTrue(colours.size() > 5000, "many colours: " + colours.size());
    double meanStep = (double) neighbourDiff / p.length;
    assertTrue(meanStep > 4, "neighbouring pixels differ (noise, texture): " + meanStep);
    assertTrue(!java.util.Arrays.equals(pixels(small), pixels(PhotoImages.image(4, 320, 200))), "seeds differ");
  }

  @Test
  void aPhotoFolderGivesItsJpegsByNameWithThePhotoOptions(@TempDir Path dir) throws Exception {
    byte[] a = PhotoImages.jpeg(PhotoImages.image(1, 64, 40), 90);
    Files.write(dir.resolve("b.jpg"), a);
    Files.write(dir.resolve("a.JPEG"), a);
    Files.writeString(dir.resolve("notes.txt"), "not an image");
    Workload w = Workload.named("photo", dir);
    assertEquals(List.of("a.JPEG", "b.jpg"), w.items().stream().map(BatchItem::name).toList());
    assertEquals(Workload.photoOptions(), w.items().get(0).options());
    assertEquals(2L * a.length, w.inputBytes());

    BatchSource five = w.requests(5);
    assertEquals(5, five.size());
    assertEquals("bench_00003_a.JPEG", five.item(3).name());
    assertEquals("bench_00004_b.jpg", five.item(4).name());
  }

  @Test
  void unknownNamesAndEmptyFoldersAreClearErrors(@TempDir Path dir) {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Workload.named("video", null));
    assertTrue(e.getMessage().contains("use demo or photo"), e.getMessage());
    java.io.IOException io = assertThrows(java.io.IOException.class, () -> Workload.named("photo", dir));
    assertTrue(io.getMessage().contains("holds no .jpg"), io.getMessage());
    assertEquals(List.of("demo", "photo"), BenchSuite.workloadNames("photo, demo,photo").stream().sorted().toList());
    assertThrows(IllegalArgumentException.class, () -> BenchSuite.workloadNames("demo,x"));
    assertEquals(new BenchChart.Reference("libvips C=4", 5.25), BenchSuite.reference("libvips C=4=5.25"));
    assertThrows(IllegalArgumentException.class, () -> BenchSuite.reference("libvips"));
  }

  private static int[] pixels(BufferedImage img) {
    return img.getRGB(0, 0, img.getWidth(), img.getHeight(), null, 0, img.getWidth());
  }
}
