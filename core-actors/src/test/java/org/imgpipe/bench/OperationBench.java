package org.imgpipe.bench;

import java.util.concurrent.TimeUnit;
import org.imgpipe.imaging.ImageOperation;
import org.imgpipe.imaging.ImagingException;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.LogoWatermark;
import org.imgpipe.imaging.Position;
import org.imgpipe.imaging.Raster;
import org.imgpipe.imaging.Resize;
import org.imgpipe.imaging.TextWatermark;
import org.imgpipe.imaging.Thumbnail;
import org.imgpipe.testing.TestImages;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/** Resize and thumbnail from 1920x1080; text and logo watermarks on 1280x720 (filters: FilterBench). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class OperationBench {

  private Raster src1080p;
  private Raster src720p;
  private ImageOperation resize;
  private ImageOperation thumbnail;
  private ImageOperation text;
  private ImageOperation logo;

  @Setup
  public void setUp() throws ImagingException {
    src1080p = BenchImages.PHOTO_1080P;
    resize = new Resize(1280, 720, true, ImagingLimits.DEFAULT);
    src720p = resize.apply(src1080p);
    thumbnail = new Thumbnail(256, ImagingLimits.DEFAULT);
    text = new TextWatermark("XML-RPC Demo", Position.BOTTOM_RIGHT, 30, "#FFFFFF", 0.8);
    logo = new LogoWatermark(TestImages.photoLikeWithAlpha(400, 200, 3), Position.TOP_RIGHT, 0.2, 0.7,
        ImagingLimits.DEFAULT);
  }

  @Benchmark
  public Raster resize1080pTo720p() throws ImagingException {
    return resize.apply(src1080p);
  }

  @Benchmark
  public Raster thumbnail256() throws ImagingException {
    return thumbnail.apply(src1080p);
  }

  @Benchmark
  public Raster textWatermark720p() throws ImagingException {
    return text.apply(src720p);
  }

  @Benchmark
  public Raster logoWatermark720p() throws ImagingException {
    return logo.apply(src720p);
  }
}
