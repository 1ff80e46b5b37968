package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.luben.zstd.Zstd;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;
import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FastDecompressor;
import org.imgpipe.bench.PhotoImages;
import org.imgpipe.demo.SyntheticBatch;
import org.imgpipe.imaging.FilterType;
import org.imgpipe.imaging.ImageDecoder;
import org.imgpipe.imaging.ImageEncoder;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.ImagingException;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.Position;
import org.imgpipe.imaging.Raster;
import org.imgpipe.imaging.Resize;
import org.imgpipe.imaging.TextWatermark;
import org.junit.jupiter.api.Test;

/**
 * The lossless forms a decoded image could take between nodes, measured on the payloads that really
 * cross them: the demo batch's rasters after each stage, and a photo's. Every candidate must give the
 * pixels back bit for bit (checked on every run). With {@code -Dimgpipe.measure=true} it also writes the
 * size and the single-thread encode and decode times of each to
 * client/target/pipeline-measurements/transfer-codecs.txt, the table in docs/cluster-transport.md:
 * {@code mvn -B -q -pl client -am test -Dtest=TransferCodecMeasurementTest -Dimgpipe.measure=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class TransferCodecMeasurementTest {

  private static final boolean MEASURE = Boolean.getBoolean("imgpipe.measure");
  private static final ImagingLimits LIMITS = ImagingLimits.DEFAULT;
  private static final LZ4Compressor LZ4 = LZ4Factory.fastestInstance().fastCompressor();
  private static final LZ4FastDecompressor LZ4_BACK = LZ4Factory.fastestInstance().fastDecompressor();

  /** A candidate: how a raster becomes bytes, and how they become the raster's pixels again. */
  private record Codec(String name, Function<Raster, byte[]> encode, BiFunction<byte[], Raster, int[]> decode) {}

  private static List<Codec> codecs() {
    return List.of(
        new Codec("raw pixels", r -> pack(r), (b, r) -> unpack(b, r)),
        new Codec("lz4 of pixels", r -> LZ4.compress(pack(r)),
            (b, r) -> unpack(LZ4_BACK.decompress(b, rawBytes(r)), r)),
        new Codec("lz4 of up rows", r -> LZ4.compress(filter(r)),
            (b, r) -> unfilter(LZ4_BACK.decompress(b, rawBytes(r)), r)),
        new Codec("zstd 1 of pixels", r -> Zstd.compress(pack(r), 1),
            (b, r) -> unpack(Zstd.decompress(b, rawBytes(r)), r)),
        new Codec("zstd -1 of up rows", r -> Zstd.compress(filter(r), -1),
            (b, r) -> unfilter(Zstd.decompress(b, rawBytes(r)), r)),
        new Codec("zstd 1 of up rows", r -> Zstd.compress(filter(r), 1),
            (b, r) -> unfilter(Zstd.decompress(b, rawBytes(r)), r)),
        new Codec("CompactRaster (zstd 1 of up rows, streamed in batches)", CompactRaster::compress,
            (b, r) -> CompactRaster.decompress(b, 0, b.length, r.width(), r.height(), r.hasAlpha()).argb()),
        new Codec("zstd 3 of up rows", r -> Zstd.compress(filter(r), 3),
            (b, r) -> unfilter(Zstd.decompress(b, rawBytes(r)), r)),
        new Codec("png level 1, up (own encoder)", TransferCodecMeasurementTest::png,
            (b, r) -> decodePng(b)),
        new Codec("qoi", Qoi::encode, (b, r) -> Qoi.decode(b, r.width(), r.height())));
  }

  /** The whole raster UP-filtered at once, as CompactRaster packs it. */
  private static byte[] filter(Raster r) {
    byte[] out = new byte[rawBytes(r)];
    CompactRaster.filterUp(r, 0, r.height(), out);
    return out;
  }

  private static int[] unfilter(byte[] b, Raster shape) {
    int[] px = new int[shape.width() * shape.height()];
    CompactRaster.unfilterUp(b, 0, shape.height(), shape.width(), shape.hasAlpha(), px);
    return px;
  }

  private static int rawBytes(Raster r) {
    return (int) CompactRaster.rawBytes(r.width(), r.height(), r.hasAlpha());
  }

  /** Opaque pixels as 3 bytes each, as PipelineSerializer sends them raw. */
  private static byte[] pack(Raster r) {
    int[] px = r.argb();
    byte[] b = new byte[px.length * 3];
    for (int i = 0, p = 0; i < px.length; i++) {
      b[p++] = (byte) (px[i] >>> 16);
      b[p++] = (byte) (px[i] >>> 8);
      b[p++] = (byte) px[i];
    }
    return b;
  }

  private static int[] unpack(byte[] b, Raster shape) {
    int[] px = new int[shape.width() * shape.height()];
    for (int i = 0, p = 0; i < px.length; i++, p += 3) {
      px[i] = 0xff000000 | (b[p] & 0xff) << 16 | (b[p + 1] & 0xff) << 8 | (b[p + 2] & 0xff);
    }
    return px;
  }

  private static byte[] png(Raster r) {
    try {
      return new ImageEncoder().encode(r, ImageFormat.PNG, 0);
    } catch (ImagingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static int[] decodePng(byte[] b) {
    try {
      return new ImageDecoder(LIMITS).decode(b).raster().argb();
    } catch (ImagingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The rasters that cross nodes in the demo batch (after resize, each filter, the watermark) and a photo's. */
  private static Map<String, Raster> payloads(boolean all) throws ImagingException {
    Map<String, Raster> p = new LinkedHashMap<>();
    ImageDecoder decoder = new ImageDecoder(LIMITS);
    for (int i = 1; i <= (all ? 4 : 1); i++) {
      Raster r = new Resize(1280, 720, true, LIMITS).apply(decoder.decode(SyntheticBatch.png(i)).raster());
      p.put("demo " + i + " resized", r);
      for (String f : SyntheticBatch.filters(i)) {
        r = FilterType.parse(f).withIntensity(1.0).apply(r);
        p.put("demo " + i + " after " + f, r);
      }
      p.put("demo " + i + " watermarked", new TextWatermark(SyntheticBatch.watermarkText(i), Position.BOTTOM_RIGHT,
          30, "#FFFFFF", 0.8).apply(r).opaque());
    }
    if (all) {
      Raster photo = new Resize(1280, 720, true, LIMITS).apply(decoder.decode(PhotoImages.jpeg(1)).raster());
      p.put("photo resized", photo);
      p.put("photo after BLUR", FilterType.BLUR.withIntensity(1.0).apply(photo));
      p.put("photo after SHARPEN", FilterType.SHARPEN.withIntensity(1.0).apply(photo));
    }
    return p;
  }

  @Test
  void everyCandidateGivesThePixelsBackBitForBit() throws Exception {
    for (Raster r : payloads(false).values()) {
      for (Codec c : codecs()) {
        assertArrayEquals(r.argb(), c.decode().apply(c.encode().apply(r), r), c.name() + " is not lossless");
      }
      Raster back = CompactRaster.decompress(CompactRaster.compress(r), 0, CompactRaster.compress(r).length,
          r.width(), r.height(), r.hasAlpha());
      assertArrayEquals(r.argb(), back.argb());
    }
  }

  @Test
  void measureSizesAndTimes() throws Exception {
    if (!MEASURE) {
      return;
    }
    List<Codec> codecs = codecs();
    Map<String, Raster> payloads = payloads(true);
    List<String> lines = new ArrayList<>();
    StringBuilder head = new StringBuilder(String.format(Locale.ROOT, "| %-22s |", "payload (1280x720)"));
    for (Codec c : codecs) {
      head.append(' ').append(c.name()).append(": KiB, enc ms, dec ms |");
    }
    lines.add(head.toString());
    double[][] totals = new double[codecs.size()][3];
    for (Map.Entry<String, Raster> e : payloads.entrySet()) {
      Raster r = e.getValue();
      StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "| %-22s |", e.getKey()));
      for (int k = 0; k < codecs.size(); k++) {
        Codec c = codecs.get(k);
        byte[] enc = null;
        long bestEnc = Long.MAX_VALUE;
        long bestDec = Long.MAX_VALUE;
        for (int i = 0; i < 15; i++) {
          long t0 = System.nanoTime();
          enc = c.encode().apply(r);
          long t1 = System.nanoTime();
          int[] back = c.decode().apply(enc, r);
          long t2 = System.nanoTime();
          assertTrue(back.length == r.argb().length);
          bestEnc = Math.min(bestEnc, t1 - t0);
          bestDec = Math.min(bestDec, t2 - t1);
        }
        line.append(String.format(Locale.ROOT, " %.1f, %.1f, %.1f |", enc.length / 1024.0, bestEnc / 1e6, bestDec / 1e6));
        totals[k][0] += enc.length / 1024.0;
        totals[k][1] += bestEnc / 1e6;
        totals[k][2] += bestDec / 1e6;
      }
      lines.add(line.toString());
    }
    lines.add("");
    lines.add("| codec | KiB, all payloads | encode ms | decode ms |");
    for (int k = 0; k < codecs.size(); k++) {
      lines.add(String.format(Locale.ROOT, "| %s | %.0f | %.1f | %.1f |", codecs.get(k).name(), totals[k][0],
          totals[k][1], totals[k][2]));
    }
    long originals = 0;
    for (int i = 1; i <= 4; i++) {
      originals += SyntheticBatch.png(i).length;
    }
    lines.add("");
    lines.add(String.format(Locale.ROOT, "first hop: the client's own PNG bytes of demo images 1-4: %.1f KiB in all",
        originals / 1024.0));
    Path out = Path.of("target", "pipeline-measurements");
    Files.createDirectories(out);
    Files.write(out.resolve("transfer-codecs.txt"), lines);
    lines.forEach(System.out::println);
  }

  /** QOI ("the Quite OK Image format", opaque RGB) as a candidate; not used by imgpipe. */
  static final class Qoi {
    private Qoi() {}

    private static int hash(int c) {
      return (((c >>> 16) & 0xff) * 3 + ((c >>> 8) & 0xff) * 5 + (c & 0xff) * 7 + 255 * 11) & 63;
    }

    static byte[] encode(Raster r) {
      int[] px = r.argb();
      byte[] out = new byte[px.length * 4 + 16];
      int p = 0;
      int[] index = new int[64];
      int prev = 0xff000000;
      int run = 0;
      for (int i = 0; i < px.length; i++) {
        int c = px[i] | 0xff000000;
        if (c == prev) {
          run++;
          if (run == 62 || i == px.length - 1) {
            out[p++] = (byte) (0xc0 | (run - 1));
            run = 0;
          }
          continue;
        }
        if (run > 0) {
          out[p++] = (byte) (0xc0 | (run - 1));
          run = 0;
        }
        int h = hash(c);
        if (index[h] == c) {
          out[p++] = (byte) h;
        } else {
          index[h] = c;
          int dr = (byte) (((c >>> 16) & 0xff) - ((prev >>> 16) & 0xff));
          int dg = (byte) (((c >>> 8) & 0xff) - ((prev >>> 8) & 0xff));
          int db = (byte) ((c & 0xff) - (prev & 0xff));
          if (dr > -3 && dr < 2 && dg > -3 && dg < 2 && db > -3 && db < 2) {
            out[p++] = (byte) (0x40 | (dr + 2) << 4 | (dg + 2) << 2 | (db + 2));
          } else if (dg > -33 && dg < 32 && dr - dg > -9 && dr - dg < 8 && db - dg > -9 && db - dg < 8) {
            out[p++] = (byte) (0x80 | (dg + 32));
            out[p++] = (byte) ((dr - dg + 8) << 4 | (db - dg + 8));
          } else {
            out[p++] = (byte) 0xfe;
            out[p++] = (byte) (c >>> 16);
            out[p++] = (byte) (c >>> 8);
            out[p++] = (byte) c;
          }
        }
        prev = c;
      }
      return Arrays.copyOf(out, p);
    }

    static int[] decode(byte[] in, int w, int h) {
      int[] px = new int[w * h];
      int[] index = new int[64];
      int c = 0xff000000;
      int p = 0;
      int run = 0;
      for (int i = 0; i < px.length; i++) {
        if (run > 0) {
          run--;
        } else {
          int b1 = in[p++] & 0xff;
          if (b1 == 0xfe) {
            c = 0xff000000 | (in[p] & 0xff) << 16 | (in[p + 1] & 0xff) << 8 | (in[p + 2] & 0xff);
            p += 3;
          } else if ((b1 & 0xc0) == 0x00) {
            c = index[b1];
          } else if ((b1 & 0xc0) == 0x40) {
            c = 0xff000000 | ((c >>> 16) + ((b1 >> 4) & 3) - 2 & 0xff) << 16
                | ((c >>> 8) + ((b1 >> 2) & 3) - 2 & 0xff) << 8 | (c + (b1 & 3) - 2 & 0xff);
          } else if ((b1 & 0xc0) == 0x80) {
            int b2 = in[p++] & 0xff;
            int dg = (b1 & 0x3f) - 32;
            c = 0xff000000 | ((c >>> 16) + dg - 8 + ((b2 >> 4) & 0xf) & 0xff) << 16
                | ((c >>> 8) + dg & 0xff) << 8 | (c + dg - 8 + (b2 & 0xf) & 0xff);
          } else {
            run = b1 & 0x3f;
          }
          index[hash(c)] = c;
        }
        px[i] = c;
      }
      return px;
    }
  }
}
