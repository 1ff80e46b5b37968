package org.imgpipe.imaging;

/**
 * Pastes a logo scaled to {@code scale} times the image width (height keeping the logo's aspect,
 * truncated), its alpha multiplied by the opacity (clamped to 0..1, truncated), at a position with
 * the 20 px margin around the logo's box.
 */
public final class LogoWatermark implements ImageOperation {

  private final Raster logo;
  private final Position position;
  private final double scale;
  private final double opacity;
  private final ImagingLimits limits;

  public LogoWatermark(Raster logo, Position position, double scale, double opacity, ImagingLimits limits) {
    this.logo = logo;
    this.position = position;
    this.scale = scale;
    this.opacity = opacity;
    this.limits = limits;
  }

  @Override
  public Raster apply(Raster source) throws ImagingException {
    if (logo == null || position == null) {
      throw new ImagingException("logo watermark needs a logo and a position");
    }
    if (Double.isNaN(scale) || Double.isNaN(opacity)) {
      throw new ImagingException("scale and opacity must be numbers");
    }
    int w = source.width();
    int h = source.height();
    double lwd = w * scale;
    int lw = (int) lwd;
    int lh = (int) (logo.height() * ((double) lw / logo.width()));
    limits.checkOutput(lw, lh);
    Raster scaled = Lanczos3.resize(logo, lw, lh);
    double op = Math.max(0.0, Math.min(1.0, opacity));
    int[] overlay = scaled.argb().clone();
    for (int i = 0; i < overlay.length; i++) {
      int a = (int) ((overlay[i] >>> 24) * op);
      overlay[i] = (a << 24) | (overlay[i] & 0xFFFFFF);
    }
    int[] out = source.argb().clone();
    int[] xy = position.place(w, h, lw, lh);
    int x0 = Math.max(0, xy[0]);
    int y0 = Math.max(0, xy[1]);
    int x1 = Math.min(w, xy[0] + lw);
    int y1 = Math.min(h, xy[1] + lh);
    if (x1 > x0 && y1 > y0) {
      int cw = x1 - x0;
      int ch = y1 - y0;
      int[] clip = new int[cw * ch];
      for (int y = 0; y < ch; y++) {
        System.arraycopy(overlay, (y0 - xy[1] + y) * lw + (x0 - xy[0]), clip, y * cw, cw);
      }
      Composite.over(out, w, clip, cw, ch, x0, y0);
    }
    return new Raster(out, w, h, source.hasAlpha());
  }
}
