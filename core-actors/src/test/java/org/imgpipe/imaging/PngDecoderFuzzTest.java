package org.imgpipe.imaging;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the decoding of a PNG: its chunk walk, IHDR rules, CRCs, palette, Adam7 and row filters
 * ({@link FuzzDecoding#check}). Every input starts with the format's signature, and most have their
 * CRCs set right ({@link FuzzDecoding#pngWithCrcs}). Regression inputs:
 * src/test/resources/org/imgpipe/imaging/PngDecoderFuzzTestInputs/decode/; see docs/fuzzing.md.
 */
class PngDecoderFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void decode(byte[] data) {
    FuzzDecoding.check(FuzzDecoding.pngWithCrcs(data));
  }
}
