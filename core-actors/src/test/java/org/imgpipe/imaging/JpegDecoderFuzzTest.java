package org.imgpipe.imaging;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the decoding of a JPEG: the frame and scan headers, the scan count, EXIF orientation and ImageIO's reader
 * ({@link FuzzDecoding#check}). Every input starts with the format's signature. Regression inputs:
 * src/test/resources/org/imgpipe/imaging/JpegDecoderFuzzTestInputs/decode/; see docs/fuzzing.md.
 */
class JpegDecoderFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void decode(byte[] data) {
    FuzzDecoding.check(FuzzDecoding.withSignature(data, FuzzDecoding.JPEG));
  }
}
