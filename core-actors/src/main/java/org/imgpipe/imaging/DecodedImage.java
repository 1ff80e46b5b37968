package org.imgpipe.imaging;

/** The result of decoding: the pixels and the container format they came in. */
public record DecodedImage(Raster raster, ImageFormat format) {}
