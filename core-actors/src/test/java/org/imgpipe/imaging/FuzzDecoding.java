package org.imgpipe.imaging;

import java.lang.management.ManagementFactory;
import java.util.regex.Pattern;

/**
 * The property every decoder fuzz target checks on any input: the header probe and the decoder end
 * either with a raster within the limits and of the header's size, or with an ImagingException whose
 * message is safe for a client and whose cause is not a runtime exception thrown by imgpipe's own code
 * (an index out of bounds, an overflow) nor an OutOfMemoryError; the decode allocates no more than the
 * header's estimate allows, and ends within its deadline. The limits are small (1 megapixel) so that no
 * input can make a decode allocate much; the allocation bound catches what would be large at the
 * production limits.
 */
final class FuzzDecoding {

  /** 1 megapixel in and out. */
  static final ImagingLimits LIMITS = new ImagingLimits(1_000_000L, 1_000_000L);

  private static final ImageDecoder DECODER = new ImageDecoder(LIMITS);

  /** Each decode runs under this deadline (ms); it must end within it and a second. */
  private static final long DEADLINE_MS = 3_000;

  private static final Pattern UNSAFE = Pattern.compile("Exception|java\\.|javax\\.|\\bat [a-z]+\\.|@[0-9a-f]{4,}");

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  static final byte[] PNG = CraftedImages.PNG_SIGNATURE;
  static final byte[] JPEG = {(byte) 0xFF, (byte) 0xD8, (byte) 0xFF};
  static final byte[] GIF = {'G', 'I', 'F', '8', '9', 'a'};
  static final byte[] BMP = {'B', 'M'};

  private FuzzDecoding() {}

  static {
    // Class loading, ImageIO's registry, native libraries and the WebP tools' installation allocate on
    // first use: decode one small image of each format before anything is measured.
    Raster r = org.imgpipe.testing.TestImages.photoLike(8, 8, 1);
    for (ImageFormat f : ImageFormat.values()) {
      for (int i = 0; i < 2; i++) {
        try {
          byte[] bytes = org.imgpipe.testing.TestImages.encode(r, f, 80);
          DECODER.header(bytes);
          DECODER.decode(bytes);
          DECODER.decode(java.util.Arrays.copyOf(bytes, bytes.length / 2));
        } catch (ImagingException expected) {
          // the truncated copy
        }
      }
    }
  }

  /** The input with {@code signature} over its first bytes, so that every input reaches the format's decoder. */
  static byte[] withSignature(byte[] data, byte[] signature) {
    byte[] b = java.util.Arrays.copyOf(data, Math.max(data.length, signature.length));
    System.arraycopy(signature, 0, b, 0, signature.length);
    return b;
  }

  /**
   * With its first byte odd (as a PNG's 0x89 is), the input's chunk CRCs are set right (as far as its
   * lengths allow): random changes then reach what lies behind the CRC check (IHDR fields, PLTE, tRNS,
   * the image data), which they would almost never reach with a 32-bit checksum in the way. Even first
   * bytes keep the CRCs the fuzzer made, to exercise the check itself.
   */
  static byte[] pngWithCrcs(byte[] data) {
    byte[] b = withSignature(data, PNG);
    if (data.length == 0 || (data[0] & 1) == 0) {
      return b;
    }
    b[0] = PNG[0];
    long pos = 8;
    while (pos + 12 <= b.length) {
      long len = ((b[(int) pos] & 0xFFL) << 24) | ((b[(int) pos + 1] & 0xFF) << 16) | ((b[(int) pos + 2] & 0xFF) << 8)
          | (b[(int) pos + 3] & 0xFF);
      long end = pos + 8 + len;
      if (end + 4 > b.length) {
        break;
      }
      java.util.zip.CRC32 crc = new java.util.zip.CRC32();
      crc.update(b, (int) pos + 4, (int) (4 + len));
      CraftedImages.putInt(b, (int) end, (int) crc.getValue());
      pos = end + 4;
    }
    return b;
  }

  /** RIFF, the input's next 4 bytes as the RIFF size, WEBP, then the rest of the input. */
  static byte[] asWebp(byte[] data) {
    byte[] b = new byte[12 + Math.max(0, data.length - 4)];
    b[0] = 'R';
    b[1] = 'I';
    b[2] = 'F';
    b[3] = 'F';
    System.arraycopy(data, 0, b, 4, Math.min(4, data.length));
    b[8] = 'W';
    b[9] = 'E';
    b[10] = 'B';
    b[11] = 'P';
    if (data.length > 4) {
      System.arraycopy(data, 4, b, 12, data.length - 4);
    }
    return b;
  }

  /** Checks the property on {@code bytes}; throws AssertionError (a finding) when it does not hold. */
  static void check(byte[] bytes) {
    ImageDecoder.Header header = null;
    try {
      header = DECODER.header(bytes);
    } catch (ImagingException e) {
      refusal(e, "header");
    }
    // Decoded twice, the second time measured: code run for the first time (class loading, a string
    // concatenation's bootstrap) allocates once, which is not the decode's memory.
    decodeWithin(bytes);
    long before = THREADS.getCurrentThreadAllocatedBytes();
    long start = System.nanoTime();
    Object outcome = decodeWithin(bytes);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
    long ms = (System.nanoTime() - start) / 1_000_000L;
    if (ms > DEADLINE_MS + 1_000) {
      throw new AssertionError("the decode took " + ms + " ms, past its deadline of " + DEADLINE_MS + " ms");
    }
    if (outcome instanceof ImagingException e) {
      refusal(e, "decode");
    } else {
      Raster r = (Raster) outcome;
      if (header == null) {
        throw new AssertionError("decoded " + r + " although the header was refused");
      }
      long px = (long) r.width() * r.height();
      boolean same = (r.width() == header.width() && r.height() == header.height())
          || (r.width() == header.height() && r.height() == header.width());
      if (!same || px > LIMITS.maxDecodedPixels() || r.argb().length != px) {
        throw new AssertionError("decoded " + r + " for a header of " + header.width() + "x" + header.height());
      }
    }
    long bound = header == null ? 1_000_000L + 2L * bytes.length : allowance(header, bytes);
    if (allocated > bound) {
      throw new AssertionError("the decode allocated " + allocated + " bytes; at most " + bound + " were expected"
          + (header == null ? " for an input whose header was refused" : " for " + header));
    }
  }

  /** The raster, or the ImagingException, of a decode under a deadline of {@link #DEADLINE_MS}. */
  private static Object decodeWithin(byte[] bytes) {
    return WorkDeadline.during(System.nanoTime() + DEADLINE_MS * 1_000_000L, () -> {
      try {
        return DECODER.decode(bytes).raster();
      } catch (ImagingException e) {
        return e;
      }
    });
  }

  /**
   * What a decode may allocate: the estimate, and for ImageIO's readers their garbage, a scratch row
   * copy per decoded row (a JPEG: 12 bytes a pixel per output pass; the scan count is at most 100), plus
   * a few copies of the input's parts.
   */
  private static long allowance(ImageDecoder.Header header, byte[] bytes) {
    long px = (long) header.width() * header.height();
    long garbage = switch (header.format()) {
      case PNG, WEBP -> 0;
      case JPEG -> 16 * px * (ImagingLimits.MAX_JPEG_SCANS + 1);
      case GIF, BMP -> 16 * px;
    };
    return header.decodeBytes() + garbage + 4L * bytes.length + 1_000_000L;
  }

  /** A refusal must have a safe message and no cause that is a bug of imgpipe's own or a lack of memory. */
  private static void refusal(ImagingException e, String where) {
    String m = e.getMessage();
    if (m == null || m.isBlank() || UNSAFE.matcher(m).find()) {
      throw new AssertionError(where + ": unsafe message: " + m, e);
    }
    for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
      if (t instanceof OutOfMemoryError) {
        throw new AssertionError(where + ": ran out of memory", e);
      }
      if (t instanceof RuntimeException && !(t instanceof WorkDeadline.Passed) && thrownByImgpipe(t)) {
        throw new AssertionError(where + ": imgpipe's own code failed: " + t, e);
      }
    }
  }

  /** Whether the first frame outside java.lang and jdk.internal (arraycopy, checkIndex, multiplyExact) is imgpipe's. */
  private static boolean thrownByImgpipe(Throwable t) {
    for (StackTraceElement frame : t.getStackTrace()) {
      String c = frame.getClassName();
      if (c.startsWith("java.lang.") || c.startsWith("jdk.internal.")) {
        continue;
      }
      return c.startsWith("org.imgpipe.");
    }
    return false;
  }
}
