package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** The pixel limits hold for every width and height a header can claim, however large. */
class ImagingLimitsTest {

  private final ImagingLimits limits = ImagingLimits.DEFAULT;

  @Test
  void sizesWhoseProductOverflowsALongAreRefused() {
    // 0xFFFFFFFF x 0xFFFFFFFF: the product wraps to a negative long, which used to pass.
    ImagingException e = assertThrows(ImagingException.class, () -> limits.checkDecoded(0xFFFFFFFFL, 0xFFFFFFFFL));
    assertEquals("image of 4294967295x4294967295 pixels exceeds the limit of 50000000 pixels", e.getMessage());
    ImagingException out = assertThrows(ImagingException.class, () -> limits.checkOutput(0xFFFFFFFFL, 0xFFFFFFFFL));
    assertEquals("output of 4294967295x4294967295 pixels exceeds the limit of 50000000 pixels", out.getMessage());
  }

  @Test
  void theLimitItselfPassesAndOneMorePixelDoesNot() throws Exception {
    limits.checkDecoded(50_000_000L, 1);
    limits.checkDecoded(1, 50_000_000L);
    limits.checkDecoded(5000, 10_000);
    assertThrows(ImagingException.class, () -> limits.checkDecoded(50_000_001L, 1));
    assertThrows(ImagingException.class, () -> limits.checkDecoded(5001, 10_000));
  }

  @Test
  void aLimitAboveWhatAnArrayHoldsStillRefusesWhatNoRasterCanHold() {
    ImagingLimits huge = new ImagingLimits(Long.MAX_VALUE, Long.MAX_VALUE);
    ImagingException e = assertThrows(ImagingException.class, () -> huge.checkDecoded(65536, 65536));
    assertEquals("image of 65536x65536 pixels exceeds the largest raster of 2147483639 pixels", e.getMessage());
    assertThrows(ImagingException.class, () -> huge.checkOutput(3_000_000_000L, 1));
  }
}
