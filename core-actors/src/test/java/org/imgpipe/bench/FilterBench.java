package org.imgpipe.bench;

import java.util.concurrent.TimeUnit;
import org.imgpipe.imaging.FilterType;
import org.imgpipe.imaging.ImageOperation;
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

/** Each of the eight filters at intensity 1 on a 1280x720 photo-like image. */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FilterBench {

  @Param({"GRAYSCALE", "BLUR", "SHARPEN", "EDGE_DETECT", "SEPIA", "NEGATIVE", "BRIGHTNESS", "CONTRAST"})
  public String filter;

  private Raster src720p;
  private ImageOperation filterOp;

  @Setup
  public void setUp() throws ImagingException {
    src720p = new Resize(1280, 720, true, ImagingLimits.DEFAULT).apply(BenchImages.PHOTO_1080P);
    filterOp = FilterType.parse(filter).withIntensity(1.0);
  }

  @Benchmark
  public Raster filter720p() throws ImagingException {
    return filterOp.apply(src720p);
  }

}
