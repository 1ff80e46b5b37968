package org.imgpipe.imaging;

/** The original system's resize size arithmetic (double aspect ratio, results truncated). */
public final class ResizeGeometry {

  private ResizeGeometry() {}

  /**
   * The output size for an original of {@code ow x oh} and targets {@code tw, th}. With
   * keepAspect the result fits the box (upscaling too); only one positive target scales by that
   * one. Without keepAspect each dimension is its target if positive, else the original. The
   * result may be zero or negative; {@link Resize} refuses such sizes.
   */
  public static Size target(int ow, int oh, int tw, int th, boolean keepAspect) {
    if (!keepAspect) {
      return new Size(tw > 0 ? tw : ow, th > 0 ? th : oh);
    }
    double aspect = (double) ow / oh;
    if (tw > 0 && th > 0) {
      int nw = tw;
      int nh = (int) (tw / aspect);
      if (nh > th) {
        nh = th;
        nw = (int) (th * aspect);
      }
      return new Size(nw, nh);
    }
    if (tw > 0) {
      return new Size(tw, (int) (tw / aspect));
    }
    return new Size((int) (th * aspect), th);
  }
}
