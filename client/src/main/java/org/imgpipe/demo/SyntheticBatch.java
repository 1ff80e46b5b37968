package org.imgpipe.demo;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;

/**
 * The original client's batch (pipeline_demo.py): image i (1-based) is a synthetic picture whose size,
 * filters and watermark text rotate with i mod 4, sent with 1280x720 targets and PNG at quality 90.
 */
public final class SyntheticBatch implements BatchSource {

  /** The original's image count. */
  public static final int DEFAULT_IMAGES = 30;
  public static final int TARGET_WIDTH = 1280;
  public static final int TARGET_HEIGHT = 720;
  public static final String OUTPUT_FORMAT = "PNG";
  public static final int OUTPUT_QUALITY = 90;
  public static final String WATERMARK_POSITION = "bottom-right";

  private static final int[][] SIZES = {{1920, 1080}, {1280, 720}, {1600, 900}, {2560, 1440}};
  private static final List<List<String>> FILTERS = List.of(
      List.of("BLUR", "SHARPEN"), List.of("SEPIA"), List.of("BRIGHTNESS", "CONTRAST"), List.of("GRAYSCALE"));
  private static final Color YELLOW = new Color(255, 255, 0);
  private static final Color CYAN = new Color(0, 255, 255);

  private final int count;

  public SyntheticBatch(int count) {
    if (count < 1) {
      throw new IllegalArgumentException("the batch needs at least one image");
    }
    this.count = count;
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public BatchItem item(int index) {
    return new BatchItem(index, outputName(index), png(index), options(index));
  }

  @Override
  public String describe() {
    return count + " synthetic images (the original's batch)";
  }

  /** Width and height of image i: 1 → 1280x720, 2 → 1600x900, 3 → 2560x1440, 4 → 1920x1080, ... */
  public static int[] size(int i) {
    return SIZES[Math.floorMod(i, 4)].clone();
  }

  public static List<String> filters(int i) {
    return FILTERS.get(Math.floorMod(i, 4));
  }

  public static String watermarkText(int i) {
    return switch (Math.floorMod(i, 4)) {
      case 0 -> "Image #" + i;
      case 1 -> "Batch Processing";
      case 2 -> "Distributed Pipeline";
      default -> "XML-RPC Demo";
    };
  }

  /** output/batch_NNN.png's file name. */
  public static String outputName(int i) {
    return String.format("batch_%03d.png", i);
  }

  /** The process_image options of image i, in the original's key order. */
  public static Map<String, Object> options(int i) {
    return processOptions(filters(i), watermarkText(i));
  }

  /** The batch's fixed options with the given filters and watermark text. */
  public static Map<String, Object> processOptions(List<String> filters, String watermarkText) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("target_width", TARGET_WIDTH);
    o.put("target_height", TARGET_HEIGHT);
    o.put("filters", List.copyOf(filters));
    o.put("add_watermark", true);
    o.put("watermark_text", watermarkText);
    o.put("watermark_position", WATERMARK_POSITION);
    o.put("output_format", OUTPUT_FORMAT);
    o.put("output_quality", OUTPUT_QUALITY);
    return o;
  }

  /**
   * Draws image i: a vertical gradient (R = 255·y/h, G = 128, B = 255·(1 − y/h), cut to whole numbers),
   * a yellow rectangle outline and a filled cyan ellipse placed on a 1920x1080 grid scaled to the image,
   * and two lines of white text near the centre.
   */
  public static BufferedImage image(int i) {
    int[] wh = size(i);
    int w = wh[0];
    int h = wh[1];
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    for (int y = 0; y < h; y++) {
      int r = (int) (255.0 * y / h);
      int b = (int) (255.0 * (1 - (double) y / h));
      java.util.Arrays.fill(row, (r << 16) | (128 << 8) | b);
      img.setRGB(0, y, w, 1, row, 0, w);
    }
    double sx = w / 1920.0;
    double sy = h / 1080.0;
    Graphics2D g = img.createGraphics();
    try {
      int line = Math.max(5, (int) (15 * Math.min(sx, sy)));
      int x0 = (int) (400 * sx);
      int y0 = (int) (300 * sy);
      int x1 = (int) (1500 * sx);
      int y1 = (int) (800 * sy);
      // Pillow's outline grows inwards from the inclusive box edges.
      g.setColor(YELLOW);
      g.fillRect(x0, y0, x1 - x0 + 1, line);
      g.fillRect(x0, y1 - line + 1, x1 - x0 + 1, line);
      g.fillRect(x0, y0, line, y1 - y0 + 1);
      g.fillRect(x1 - line + 1, y0, line, y1 - y0 + 1);

      g.setColor(CYAN);
      int ex0 = (int) (600 * sx);
      int ey0 = (int) (400 * sy);
      int ex1 = (int) (1300 * sx);
      int ey1 = (int) (700 * sy);
      g.fill(new Ellipse2D.Double(ex0, ey0, ex1 - ex0 + 1, ey1 - ey0 + 1));

      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
      int ascent = g.getFontMetrics().getAscent();
      g.drawString("SAMPLE IMAGE", w / 2 - 100, h / 2 - 30 + ascent);
      g.drawString("For XML-RPC Processing", w / 2 - 120, h / 2 + 30 + ascent);
    } finally {
      g.dispose();
    }
    return img;
  }

  /**
   * Writes the batch's images as input_001.png ... into a folder, in the order whose index the original's
   * options rotate with, for clients that read a folder (../shared/tools/loadgen.py, bench/five-devices.sh):
   * {@code java -cp ... org.imgpipe.demo.SyntheticBatch DIR [COUNT]}.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: SyntheticBatch DIR [COUNT]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int count = args.length > 1 ? Integer.parseInt(args[1]) : DEFAULT_IMAGES;
    Files.createDirectories(dir);
    for (int i = 1; i <= count; i++) {
      Files.write(dir.resolve(String.format("input_%03d.png", i)), png(i));
    }
    System.out.println("wrote the " + count + " images of the original's batch to " + dir);
  }

  /** Image i encoded as PNG, as the original sends it. */
  public static byte[] png(int i) {
    return encodePng(image(i));
  }

  static byte[] encodePng(BufferedImage img) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(64 * 1024);
    try {
      if (!ImageIO.write(img, "png", out)) {
        throw new IllegalStateException("no PNG writer");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
