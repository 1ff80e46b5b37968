package org.imgpipe.bench;

import java.util.concurrent.TimeUnit;
import org.imgpipe.imaging.FilterType;
import org.imgpipe.imaging.ImageDecoder;
import org.imgpipe.imaging.ImageEncoder;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.ImageOperation;
import org.imgpipe.imaging.ImagingException;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.Position;
import org.imgpipe.imaging.Raster;
import org.imgpipe.imaging.Resize;
import org.imgpipe.imaging.TextWatermark;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The demo's heaviest chain, image kept decoded between steps: decode a 1920x1080 PNG, resize to
 * 1280x720, BLUR, SHARPEN, text watermark, encode PNG.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class DemoChainBench {

  @Param({"smooth", "photo"})
  public String image;

  private final ImageDecoder decoder = new ImageDecoder(ImagingLimits.DEFAULT);
  private final ImageEncoder encoder = new ImageEncoder();
  private byte[] png1080p;
  private ImageOperation resize;
  private ImageOperation blur;
  private ImageOperation sharpen;
  private ImageOperation watermark;

  @Setup
  public void setUp() throws ImagingException {
    png1080p = encoder.encode(BenchImages.source(image), ImageFormat.PNG, 0);
    resize = new Resize(1280, 720, true, ImagingLimits.DEFAULT);
    blur = FilterType.BLUR.withIntensity(1.0);
    sharpen = FilterType.SHARPEN.withIntensity(1.0);
    watermark = new TextWatermark("Image #1", Position.BOTTOM_RIGHT, 30, "#FFFFFF", 0.8);
  }

  @Benchmark
  public byte[] demoChain() throws ImagingException {
    Raster r = decoder.decode(png1080p).raster();
    r = resize.apply(r);
    r = blur.apply(r);
    r = sharpen.apply(r);
    r = watermark.apply(r);
    return encoder.encode(r, ImageFormat.PNG, 0);
  }
}
