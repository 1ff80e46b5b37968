package org.imgpipe.demo;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class SyntheticBatchTest {

  private static int[] rgb(BufferedImage img, int x, int y) {
    int p = img.getRGB(x, y);
    return new int[] {(p >> 16) & 0xff, (p >> 8) & 0xff, p & 0xff};
  }

  @Test
  void sizesRotateByIModFourStartingAt1280x720() {
    assertArrayEquals(new int[] {1280, 720}, SyntheticBatch.size(1));
    assertArrayEquals(new int[] {1600, 900}, SyntheticBatch.size(2));
    assertArrayEquals(new int[] {2560, 1440}, SyntheticBatch.size(3));
    assertArrayEquals(new int[] {1920, 1080}, SyntheticBatch.size(4));
    assertArrayEquals(new int[] {1280, 720}, SyntheticBatch.size(5));
  }

  @Test
  void filtersAndWatermarkTextsRotateByIModFour() {
    assertEquals(List.of("SEPIA"), SyntheticBatch.filters(1));
    assertEquals(List.of("BRIGHTNESS", "CONTRAST"), SyntheticBatch.filters(2));
    assertEquals(List.of("GRAYSCALE"), SyntheticBatch.filters(3));
    assertEquals(List.of("BLUR", "SHARPEN"), SyntheticBatch.filters(4));
    assertEquals("Batch Processing", SyntheticBatch.watermarkText(1));
    assertEquals("Distributed Pipeline", SyntheticBatch.watermarkText(2));
    assertEquals("XML-RPC Demo", SyntheticBatch.watermarkText(3));
    assertEquals("Image #8", SyntheticBatch.watermarkText(8));
  }

  @Test
  void optionsAreTheOriginalsInItsKeyOrder() {
    Map<String, Object> o = SyntheticBatch.options(4);
    assertEquals(List.of("target_width", "target_height", "filters", "add_watermark", "watermark_text",
        "watermark_position", "output_format", "output_quality"), List.copyOf(o.keySet()));
    assertEquals(1280, o.get("target_width"));
    assertEquals(720, o.get("target_height"));
    assertEquals(List.of("BLUR", "SHARPEN"), o.get("filters"));
    assertEquals(true, o.get("add_watermark"));
    assertEquals("Image #4", o.get("watermark_text"));
    assertEquals("bottom-right", o.get("watermark_position"));
    assertEquals("PNG", o.get("output_format"));
    assertEquals(90, o.get("output_quality"));
    assertEquals("batch_004.png", SyntheticBatch.outputName(4));
    assertEquals("batch_030.png", SyntheticBatch.outputName(30));
  }

  @Test
  void theGradientRunsFromBlueAtTheTopToRedAtTheBottom() {
    BufferedImage img = SyntheticBatch.image(1); // 1280x720
    assertArrayEquals(new int[] {0, 128, 255}, rgb(img, 5, 0));
    assertArrayEquals(new int[] {127, 128, 127}, rgb(img, 5, 360));
    assertArrayEquals(new int[] {254, 128, 0}, rgb(img, 1279, 719));
  }

  @Test
  void theRectangleOutlineIsYellowAndScaledWithItsLineWidth() {
    BufferedImage img = SyntheticBatch.image(1); // scale 2/3: box (266,200)-(1000,533), line 10
    assertArrayEquals(new int[] {255, 255, 0}, rgb(img, 266, 300));
    assertArrayEquals(new int[] {255, 255, 0}, rgb(img, 275, 300));
    assertEquals(128, rgb(img, 276, 300)[1], "inside the 10 px line the gradient shows again");
    assertEquals(128, rgb(img, 265, 300)[1], "outside the box too");
    assertArrayEquals(new int[] {255, 255, 0}, rgb(img, 500, 533));
    BufferedImage big = SyntheticBatch.image(3); // 2560x1440, scale 4/3: line 20, box from (533,400)
    assertArrayEquals(new int[] {255, 255, 0}, rgb(big, 552, 700));
    assertEquals(128, rgb(big, 553, 700)[1]);
  }

  @Test
  void theEllipseIsFilledCyanInsideItsScaledBox() {
    BufferedImage img = SyntheticBatch.image(4); // 1920x1080: ellipse box (600,400)-(1300,700)
    assertArrayEquals(new int[] {0, 255, 255}, rgb(img, 950, 450));
    assertArrayEquals(new int[] {0, 255, 255}, rgb(img, 610, 550));
    assertEquals(128, rgb(img, 602, 402)[1], "the box corner is outside the ellipse");
  }

  @Test
  void theTextIsWhiteNearTheCentre() {
    BufferedImage img = SyntheticBatch.image(4);
    int white = 0;
    for (int y = 510; y < 530; y++) {
      for (int x = 860; x < 960; x++) {
        int[] c = rgb(img, x, y);
        if (c[0] > 240 && c[1] > 240 && c[2] > 240) {
          white++;
        }
      }
    }
    assertEquals(true, white > 20, "white text pixels found: " + white);
  }

  @Test
  void pngDecodesToTheSameImage() throws IOException {
    byte[] png = SyntheticBatch.png(2);
    BufferedImage back = ImageIO.read(new ByteArrayInputStream(png));
    assertEquals(1600, back.getWidth());
    assertEquals(900, back.getHeight());
    assertEquals(SyntheticBatch.image(2).getRGB(800, 450), back.getRGB(800, 450));
  }
}
