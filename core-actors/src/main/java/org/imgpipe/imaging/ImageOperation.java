package org.imgpipe.imaging;

/** One pure image operation: a new raster from a source raster, which is left untouched. */
@FunctionalInterface
public interface ImageOperation {

  Raster apply(Raster source) throws ImagingException;
}
