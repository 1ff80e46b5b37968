package org.imgpipe.imaging;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the decoding of a GIF: the screen and frame headers, extension blocks and ImageIO's reader
 * ({@link FuzzDecoding#check}). Every input starts with the format's signature. Regression inputs:
 * src/test/resources/org/imgpipe/imaging/GifDecoderFuzzTestInputs/decode/; see docs/fuzzing.md.
 */
class GifDecoderFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void decode(byte[] data) {
    FuzzDecoding.check(FuzzDecoding.withSignature(data, FuzzDecoding.GIF));
  }
}
