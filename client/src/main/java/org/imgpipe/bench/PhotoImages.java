package org.imgpipe.bench;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.SplittableRandom;
import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;

/**
 * Photo-like test pictures for the photo workload when the user gives no folder: a sky gradient, soft
 * lit blobs, fine texture at several scales (leaves, fabric), hard edges, and sensor grain, so that a
 * JPEG of it is as hard to compress, blur and sharpen as a real photograph (flat colour is not).
 * Seeded: the same seed gives the same pixels on every run and machine.
 */
public final class PhotoImages {

  public static final int WIDTH = 2560;
  public static final int HEIGHT = 1600;
  public static final int JPEG_QUALITY = 90;

  private PhotoImages() {}

  /** Picture {@code seed} as TYPE_INT_RGB pixels. */
  public static BufferedImage image(int seed, int w, int h) {
    SplittableRandom rnd = new SplittableRandom(0x5EED_0000L + seed);
    int blobs = 6 + rnd.nextInt(6);
    double[] bx = new double[blobs];
    double[] by = new double[blobs];
    double[] br = new double[blobs];
    int[] bc = new int[blobs];
    for (int i = 0; i < blobs; i++) {
      bx[i] = rnd.nextDouble() * w;
      by[i] = rnd.nextDouble() * h;
      br[i] = (0.05 + rnd.nextDouble() * 0.2) * Math.min(w, h);
      bc[i] = rnd.nextInt(0x1000000);
    }
    double f1 = 0.02 + rnd.nextDouble() * 0.03;
    double f2 = 0.15 + rnd.nextDouble() * 0.2;
    double phase = rnd.nextDouble() * Math.PI * 2;
    int horizon = (int) (h * (0.35 + rnd.nextDouble() * 0.3));
    BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
    int[] row = new int[w];
    long noise = rnd.nextLong();
    for (int y = 0; y < h; y++) {
      double v = (double) y / h;
      for (int x = 0; x < w; x++) {
        double r;
        double g;
        double b;
        if (y < horizon) { // sky: blue to pale, a little cloud texture
          double c = 20 * Math.sin(x * f1 * 0.3 + phase) * Math.sin(y * f1 * 0.5);
          r = 90 + 120 * v + c;
          g = 140 + 90 * v + c;
          b = 230 - 30 * v + c;
        } else { // ground: textured greens and browns with fine detail
          double t = Math.sin(x * f2 + Math.sin(y * f1) * 3) * Math.cos(y * f2 * 0.7 + x * f1);
          double d = Math.sin(x * 0.9 + y * 0.45) * Math.sin(y * 1.1 - x * 0.3); // pixel-scale detail
          r = 80 + 50 * t + 25 * d;
          g = 110 + 60 * t + 25 * d;
          b = 50 + 30 * t + 20 * d;
        }
        for (int i = 0; i < blobs; i++) { // soft lit objects with a hard rim
          double dx = x - bx[i];
          double dy = y - by[i];
          double q = (dx * dx + dy * dy) / (br[i] * br[i]);
          if (q < 1) {
            double k = 1 - q;
            r = r * (1 - k) + ((bc[i] >> 16) & 0xFF) * k;
            g = g * (1 - k) + ((bc[i] >> 8) & 0xFF) * k;
            b = b * (1 - k) + (bc[i] & 0xFF) * k;
            if (q > 0.93) {
              r *= 0.4;
              g *= 0.4;
              b *= 0.4;
            }
          }
        }
        noise = noise * 6364136223846793005L + 1442695040888963407L; // LCG grain, cheap and seeded
        double n = ((noise >>> 40) & 0xFF) / 255.0 - 0.5;
        double grain = 18 * n;
        row[x] = clamp(r + grain) << 16 | clamp(g + grain) << 8 | clamp(b + grain * 1.2);
      }
      img.setRGB(0, y, w, 1, row, 0, w);
    }
    return img;
  }

  /** Picture {@code seed} at the workload's size as a JPEG at quality 90. */
  public static byte[] jpeg(int seed) {
    return jpeg(image(seed, WIDTH, HEIGHT), JPEG_QUALITY);
  }

  static byte[] jpeg(BufferedImage img, int quality) {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("jpeg");
    ImageWriter writer = writers.next();
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1 << 20);
    try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
      writer.setOutput(out);
      ImageWriteParam p = writer.getDefaultWriteParam();
      p.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
      p.setCompressionQuality(quality / 100f);
      writer.write(null, new IIOImage(img, null, null), p);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      writer.dispose();
    }
    return bytes.toByteArray();
  }

  private static int clamp(double v) {
    return v <= 0 ? 0 : v >= 255 ? 255 : (int) v;
  }

  /**
   * Writes {@code count} pictures as photo_01.jpg ... into a folder, for the libvips comparison script:
   * {@code java -cp ... org.imgpipe.bench.PhotoImages DIR [COUNT]}.
   */
  public static void main(String[] args) throws IOException {
    if (args.length < 1) {
      System.err.println("usage: PhotoImages DIR [COUNT]");
      System.exit(2);
    }
    Path dir = Path.of(args[0]);
    int count = args.length > 1 ? Integer.parseInt(args[1]) : Workload.PHOTO_IMAGES;
    Files.createDirectories(dir);
    for (int i = 1; i <= count; i++) {
      Files.write(dir.resolve(String.format("photo_%02d.jpg", i)), jpeg(i));
    }
    System.out.println("wrote " + count + " " + WIDTH + "x" + HEIGHT + " JPEGs to " + dir);
  }
}
