package org.imgpipe.imaging;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the decoding of a BMP: the file and info headers (V2 to V5), offsets, embedded data and ImageIO's reader
 * ({@link FuzzDecoding#check}). Every input starts with the format's signature. Regression inputs:
 * src/test/resources/org/imgpipe/imaging/BmpDecoderFuzzTestInputs/decode/; see docs/fuzzing.md.
 */
class BmpDecoderFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void decode(byte[] data) {
    FuzzDecoding.check(FuzzDecoding.withSignature(data, FuzzDecoding.BMP));
  }
}
