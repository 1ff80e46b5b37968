package org.imgpipe.bench;

import java.util.concurrent.TimeUnit;
import org.imgpipe.imaging.ImageDecoder;
import org.imgpipe.imaging.ImageEncoder;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.ImagingException;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.Raster;
import org.imgpipe.imaging.Resize;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Decoding a 1920x1080 image and encoding a 1280x720 one, per format. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class CodecBench {

  @Param({"PNG", "JPEG", "WEBP", "GIF", "BMP"})
  public String format;

  @Param({"smooth", "photo"})
  public String image;

  private final ImageDecoder decoder = new ImageDecoder(ImagingLimits.DEFAULT);
  private final ImageEncoder encoder = new ImageEncoder();
  private byte[] encoded1080p;
  private Raster raster720p;
  private ImageFormat fmt;

  @Setup
  public void setUp() throws ImagingException {
    fmt = ImageFormat.parse(format);
    Raster src = BenchImages.source(image);
    encoded1080p = encoder.encode(src, fmt, 90);
    raster720p = new Resize(1280, 720, true, ImagingLimits.DEFAULT).apply(src);
  }

  @Benchmark
  public Raster decode1080p() throws ImagingException {
    return decoder.decode(encoded1080p).raster();
  }

  @Benchmark
  public byte[] encode720p() throws ImagingException {
    return encoder.encode(raster720p, fmt, 90);
  }
}
