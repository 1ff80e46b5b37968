package org.imgpipe.testing;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.zip.CRC32;
import javax.imageio.ImageIO;
import org.imgpipe.imaging.ImageEncoder;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.ImagingException;
import org.imgpipe.imaging.Raster;

/**
 * Test images and image bytes shared by every module's tests (through core-actors' test-jar).
 * Everything is generated, deterministic, and needs no files.
 */
public final class TestImages {

  private TestImages() {}

  /** An opaque image of one RGB colour. */
  public static Raster solid(int width, int height, int r, int g, int b) {
    return Raster.filled(width, height, 0xFF000000 | (r << 16) | (g << 8) | b);
  }

  /** An image of one ARGB colour (has alpha when the colour is not opaque). */
  public static Raster solidArgb(int width, int height, int argb) {
    return Raster.filled(width, height, argb);
  }

  /**
   * A photo-like opaque image: smooth gradients, a few hard-edged shapes, fine texture and noise, so
   * that compression and filters behave as on real pictures. The same seed gives the same pixels.
   */
  public static Raster photoLike(int width, int height, long seed) {
    SplittableRandom rnd = new SplittableRandom(seed);
    int[] px = new int[width * height];
    double cx = width * 0.62;
    double cy = height * 0.4;
    double rad = Math.min(width, height) * 0.28;
    for (int y = 0; y < height; y++) {
      double fy = (double) y / height;
      for (int x = 0; x < width; x++) {
        double fx = (double) x / width;
        double r = 90 + 120 * fy + 25 * Math.sin(fx * 9.0);
        double g = 60 + 110 * fx + 20 * Math.cos(fy * 7.0 + fx * 3.0);
        double b = 140 - 80 * fy + 30 * Math.sin((fx + fy) * 13.0);
        double dx = x - cx;
        double dy = y - cy;
        if (dx * dx + dy * dy < rad * rad) {
          r = 0.55 * r + 110;
          g = 0.6 * g + 70;
          b = 0.4 * b;
        }
        if (x > width / 8 && x < width / 3 && y > height * 3 / 5 && y < height * 9 / 10) {
          r = 30;
          g = 45 + 20 * ((x / 6 + y / 6) & 1);
          b = 60;
        }
        // Texture and noise: what makes real photos hard to compress.
        double texture = 10 * Math.sin(x * 0.9) * Math.cos(y * 1.1);
        double noise = rnd.nextGaussian() * 6;
        px[y * width + x] = 0xFF000000 | (c(r + texture + noise) << 16) | (c(g + texture + noise) << 8)
            | c(b + texture + noise);
      }
    }
    return new Raster(px, width, height, false);
  }

  /**
   * A smooth synthetic scene: a two-way gradient with a flat disc and a flat bar, no noise. It
   * compresses well, like rendered graphics and the demo batch's generated pictures.
   */
  public static Raster smoothScene(int width, int height) {
    int[] px = new int[width * height];
    double cx = width * 0.5;
    double cy = height * 0.5;
    double rad = Math.min(width, height) * 0.25;
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int r = 255 * y / height;
        int g = 64 + 128 * x / width;
        int b = 255 - 255 * y / height;
        double dx = x - cx;
        double dy = y - cy;
        if (dx * dx + dy * dy < rad * rad) {
          r = 20;
          g = 200;
          b = 220;
        } else if (y > height / 8 && y < height / 8 + height / 40 && x > width / 10 && x < width * 9 / 10) {
          r = 250;
          g = 230;
          b = 30;
        }
        px[y * width + x] = 0xFF000000 | (r << 16) | (g << 8) | b;
      }
    }
    return new Raster(px, width, height, false);
  }

  /** A photo-like image whose alpha falls from opaque (left) to transparent (right). */
  public static Raster photoLikeWithAlpha(int width, int height, long seed) {
    Raster base = photoLike(width, height, seed);
    int[] px = base.argb().clone();
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        int a = 255 - (int) (255L * x / Math.max(1, width - 1));
        px[y * width + x] = (a << 24) | (px[y * width + x] & 0xFFFFFF);
      }
    }
    return new Raster(px, width, height, true);
  }

  /** A black image with one pixel of the given grey level at (x, y). */
  public static Raster singlePixel(int width, int height, int x, int y, int level) {
    int[] px = new int[width * height];
    Arrays.fill(px, 0xFF000000);
    px[y * width + x] = 0xFF000000 | (level << 16) | (level << 8) | level;
    return new Raster(px, width, height, false);
  }

  private static int c(double v) {
    return v <= 0 ? 0 : (v >= 255 ? 255 : (int) v);
  }

  /** The raster encoded by imgpipe's own encoder. */
  public static byte[] encode(Raster r, ImageFormat format, int quality) {
    try {
      return new ImageEncoder().encode(r, format, quality);
    } catch (ImagingException e) {
      throw new IllegalStateException(e.getMessage(), e);
    }
  }

  public static byte[] png(Raster r) {
    return encode(r, ImageFormat.PNG, 0);
  }

  public static byte[] jpeg(Raster r, int quality) {
    return encode(r, ImageFormat.JPEG, quality);
  }

  /** Bytes written by the JDK's own ImageIO writer (independent of imgpipe's encoder). */
  public static byte[] imageIo(BufferedImage img, String formatName) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      if (!ImageIO.write(img, formatName, out)) {
        throw new IllegalStateException("no ImageIO writer for " + formatName + " / type " + img.getType());
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * A small, valid-looking PNG whose IHDR claims {@code width x height} pixels (a decompression
   * bomb's header) followed by a tiny IDAT and IEND: a few hundred bytes.
   */
  public static byte[] pngClaimingSize(int width, int height) {
    java.util.zip.Deflater d = new java.util.zip.Deflater(9);
    d.setInput(new byte[64 * 1024]);
    d.finish();
    byte[] buf = new byte[4096];
    int n = d.deflate(buf);
    d.end();
    return pngFile(width, height, 2, Arrays.copyOf(buf, n));
  }

  /**
   * A PNG file assembled by hand: signature, an IHDR of {@code width x height} at bit depth 8 and the
   * given colour type (0 grey, 2 RGB, 6 RGBA), one IDAT holding {@code idat} as given, and IEND.
   */
  public static byte[] pngFile(int width, int height, int colorType, byte[] idat) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x89, 'P', 'N', 'G', 0x0D, 0x0A, 0x1A, 0x0A});
    byte[] ihdr = new byte[13];
    putInt(ihdr, 0, width);
    putInt(ihdr, 4, height);
    ihdr[8] = 8; // bit depth
    ihdr[9] = (byte) colorType;
    chunk(out, "IHDR", ihdr);
    chunk(out, "IDAT", idat);
    chunk(out, "IEND", new byte[0]);
    return out.toByteArray();
  }

  /** The bytes cut to their first {@code fraction} (0..1). */
  public static byte[] truncated(byte[] bytes, double fraction) {
    return Arrays.copyOf(bytes, (int) (bytes.length * fraction));
  }

  /**
   * A JPEG of the raster with an EXIF APP1 segment carrying the given orientation tag (1..8),
   * inserted right after SOI.
   */
  public static byte[] jpegWithOrientation(Raster r, int orientation) {
    byte[] plain = jpeg(r, 95);
    byte[] tiff = {
      'M', 'M', 0, 42, 0, 0, 0, 8, // header, IFD0 at 8
      0, 1, // one entry
      0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, (byte) orientation, 0, 0, // Orientation SHORT
      0, 0, 0, 0 // no next IFD
    };
    int len = 2 + 6 + tiff.length;
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(0xFF);
    out.write(0xD8);
    out.write(0xFF);
    out.write(0xE1);
    out.write(len >> 8);
    out.write(len & 0xFF);
    out.writeBytes(new byte[] {'E', 'x', 'i', 'f', 0, 0});
    out.writeBytes(tiff);
    out.write(plain, 2, plain.length - 2);
    return out.toByteArray();
  }

  private static void putInt(byte[] b, int off, int v) {
    b[off] = (byte) (v >>> 24);
    b[off + 1] = (byte) (v >>> 16);
    b[off + 2] = (byte) (v >>> 8);
    b[off + 3] = (byte) v;
  }

  private static void chunk(ByteArrayOutputStream out, String type, byte[] data) {
    byte[] len = new byte[4];
    putInt(len, 0, data.length);
    out.writeBytes(len);
    byte[] t = type.getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    out.writeBytes(t);
    out.writeBytes(data);
    CRC32 crc = new CRC32();
    crc.update(t);
    crc.update(data);
    byte[] c = new byte[4];
    putInt(c, 0, (int) crc.getValue());
    out.writeBytes(c);
  }

  /** The ARGB value as "(r,g,b)" or "(r,g,b,a)" for readable assertion messages. */
  public static String rgb(int argb) {
    return "(" + ((argb >> 16) & 0xFF) + "," + ((argb >> 8) & 0xFF) + "," + (argb & 0xFF)
        + ((argb >>> 24) == 255 ? ")" : "," + (argb >>> 24) + ")");
  }
}
