package org.imgpipe.imaging;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Fuzzes the PNG decoder's row stage behind zlib, which byte mutations of a file seldom get through:
 * the input chooses a layout (size up to 64x64, colour type, bit depth, interlace, palette and tRNS) and
 * the image data's raw bytes, filter bytes included; the harness deflates them into a well-formed file.
 * Checked: {@link FuzzDecoding#check}, and for 8-bit RGB and RGBA, that the fast path and the general
 * path agree (same pixels, or both refuse). Regression inputs:
 * src/test/resources/org/imgpipe/imaging/PngRowsFuzzTestInputs/decode/; see docs/fuzzing.md.
 */
class PngRowsFuzzTest {

  private static final int[][] LAYOUTS = {{0, 1}, {0, 2}, {0, 4}, {0, 8}, {0, 16}, {2, 8}, {2, 16}, {3, 1}, {3, 2},
      {3, 4}, {3, 8}, {4, 8}, {4, 16}, {6, 8}, {6, 16}};

  @FuzzTest(maxDuration = "10m")
  void decode(FuzzedDataProvider data) {
    int[] layout = LAYOUTS[data.consumeInt(0, LAYOUTS.length - 1)];
    int colorType = layout[0];
    int depth = layout[1];
    int width = data.consumeInt(1, 64);
    int height = data.consumeInt(1, 64);
    boolean interlaced = data.consumeBoolean();
    CraftedImages.Png png = new CraftedImages.Png().ihdr(width, height, depth, colorType, interlaced);
    if (colorType == 3 || data.consumeBoolean()) {
      byte[] plte = data.consumeBytes(3 * data.consumeInt(1, 256));
      png.chunk("PLTE", plte);
    }
    if (data.consumeBoolean()) {
      png.chunk("tRNS", data.consumeBytes(data.consumeInt(0, 300)));
    }
    int rows = data.consumeInt(0, 16 * height + 8);
    byte[] raw = data.consumeBytes(rows * (1 + (width * PngDecoder.channels(colorType) * depth + 7) / 8));
    if (data.consumeBoolean()) {
      // Mostly valid filter types, so that the rows get converted rather than refused.
      for (int i = 0; i < raw.length; i += 1 + (width * PngDecoder.channels(colorType) * depth + 7) / 8) {
        raw[i] = (byte) Math.floorMod(raw[i], 5);
      }
    }
    byte[] file = png.idat(CraftedImages.zlib(raw)).iend().bytes();
    FuzzDecoding.check(file);
    if (depth == 8 && (colorType == 2 || colorType == 6) && !interlaced) {
      String fast = outcome(() -> PngDecoder.decode(file));
      String general = outcome(() -> PngDecoder.decodeRows(file));
      if (!fast.equals(general)) {
        throw new AssertionError("fast path: " + fast + "; general path: " + general);
      }
    }
  }

  private interface Decode {
    Raster run() throws ImagingException;
  }

  private static String outcome(Decode d) {
    try {
      Raster r = d.run();
      return r.width() + "x" + r.height() + " alpha " + r.hasAlpha() + " " + Arrays.hashCode(r.argb());
    } catch (ImagingException e) {
      return e.getMessage();
    }
  }
}
