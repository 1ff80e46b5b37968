package org.imgpipe.imaging;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes WebP's header paths: the RIFF container and the VP8, VP8L and VP8X headers in the header
 * probe, ImageDecoder.header and decode (through dwebp, a process per input: slow, a few tens of inputs
 * a second) ({@link FuzzDecoding#check}). Every input is a RIFF/WEBP container: the input's first 4
 * bytes are its size field, the rest its chunks. Regression inputs:
 * src/test/resources/org/imgpipe/imaging/WebpHeaderFuzzTestInputs/decode/; see docs/fuzzing.md.
 */
class WebpHeaderFuzzTest {

  @FuzzTest(maxDuration = "10m")
  void decode(byte[] data) {
    FuzzDecoding.check(FuzzDecoding.asWebp(data));
  }
}
