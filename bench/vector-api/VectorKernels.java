import java.util.Arrays;
import java.util.Random;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Does the JDK Vector API (jdk.incubator.vector, JDK 17) beat what C2 already makes of imgpipe's two
 * hottest loops? Each loop is written twice, as the plain Java that imgpipe ships (the same statements
 * as BoxGaussian.Box.row and Lanczos3.addRow3, which C2 auto-vectorises) and with explicit vectors; both
 * run on the same arrays, their outputs are compared bit for bit, and each is timed (best of many rounds
 * of a 1280x720 image's worth of rows, after warm-up).
 *
 * <pre>java --add-modules jdk.incubator.vector bench/vector-api/VectorKernels.java</pre>
 *
 * A stand-alone source file so that the experiment needs no change to the build: imgpipe's modules do
 * not use the incubator module (docs/performance.md says why).
 */
public final class VectorKernels {

  static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
  static final VectorSpecies<Integer> I = IntVector.SPECIES_PREFERRED;
  static final float ROUND = 8388608f;
  static final float UNIT = 16777216f;

  // ---- BLUR: one box pass over one output row (BoxGaussian.Box.row) ----

  static void rowScalar(float[] before, float[] after, float[] leaving, float[] o, float[] sums, float e, float m,
      int x0, int x1) {
    for (int x = x0; x < x1; x++) {
      float s = sums[x];
      float v = (s + (before[x] + after[x]) * e) * m + 0.5f;
      float r = (v + ROUND) - ROUND;
      o[x] = r - Math.min(1f, Math.max(0f, r - v) * UNIT);
      sums[x] = s + after[x] - leaving[x];
    }
  }

  static void rowVector(float[] before, float[] after, float[] leaving, float[] o, float[] sums, float e, float m,
      int x0, int x1) {
    int x = x0;
    for (int upper = x0 + F.loopBound(x1 - x0); x < upper; x += F.length()) {
      FloatVector s = FloatVector.fromArray(F, sums, x);
      FloatVector a = FloatVector.fromArray(F, after, x);
      FloatVector v = s.add(FloatVector.fromArray(F, before, x).add(a).mul(e)).mul(m).add(0.5f);
      FloatVector r = v.add(ROUND).sub(ROUND);
      r.sub(r.sub(v).max(0f).mul(UNIT).min(1f)).intoArray(o, x);
      s.add(a).sub(FloatVector.fromArray(F, leaving, x)).intoArray(sums, x);
    }
    rowScalar(before, after, leaving, o, sums, e, m, x, x1);
  }

  // ---- resize: one tap row added into the vertical pass's accumulators (Lanczos3.addRow3) ----

  static void addRow3Scalar(int[] line, int wgt, int[] ar, int[] ag, int[] ab, int len) {
    for (int i = 0; i < len; i++) {
      int p = line[i];
      ar[i] += ((p >> 16) & 0xFF) * wgt;
      ag[i] += ((p >> 8) & 0xFF) * wgt;
      ab[i] += (p & 0xFF) * wgt;
    }
  }

  static void addRow3Vector(int[] line, int wgt, int[] ar, int[] ag, int[] ab, int len) {
    int i = 0;
    for (int upper = I.loopBound(len); i < upper; i += I.length()) {
      IntVector p = IntVector.fromArray(I, line, i);
      IntVector.fromArray(I, ar, i).add(p.lanewise(VectorOperators.ASHR, 16).and(0xFF).mul(wgt)).intoArray(ar, i);
      IntVector.fromArray(I, ag, i).add(p.lanewise(VectorOperators.ASHR, 8).and(0xFF).mul(wgt)).intoArray(ag, i);
      IntVector.fromArray(I, ab, i).add(p.and(0xFF).mul(wgt)).intoArray(ab, i);
    }
    for (; i < len; i++) {
      int p = line[i];
      ar[i] += ((p >> 16) & 0xFF) * wgt;
      ag[i] += ((p >> 8) & 0xFF) * wgt;
      ab[i] += (p & 0xFF) * wgt;
    }
  }

  // ---- harness ----

  static final int W = 1280;
  static final int H = 720;

  interface Run {
    void once();
  }

  /** Best ms of {@code rounds} runs of {@code r}. */
  static double best(Run r, int rounds) {
    double best = Double.MAX_VALUE;
    for (int i = 0; i < rounds; i++) {
      long t0 = System.nanoTime();
      r.once();
      best = Math.min(best, (System.nanoTime() - t0) / 1e6);
    }
    return best;
  }

  public static void main(String[] args) {
    int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    Random rnd = new Random(7);
    // BLUR: 8.8 fixed-point channel values held in floats; sums of a box of half-width 10 (sigma about 20 / 3 passes).
    float[][] rows = new float[64][W];
    for (float[] row : rows) {
      for (int x = 0; x < W; x++) {
        row[x] = rnd.nextInt(256) << 8;
      }
    }
    float e = 0.37f;
    float m = 1f / 21.74f;
    float[] sumsInit = new float[W];
    for (int x = 0; x < W; x++) {
      for (int k = 0; k < 21; k++) {
        sumsInit[x] += rows[k][x];
      }
    }
    float[] outS = new float[W];
    float[] outV = new float[W];
    float[] sumsS = sumsInit.clone();
    float[] sumsV = sumsInit.clone();
    // Equal results first: 6 passes x 3 channels x 720 rows of one image.
    int rowsPerImage = 6 * 3 * H;
    for (int y = 0; y < rowsPerImage; y++) {
      int k = y % 40;
      rowScalar(rows[k], rows[k + 22], rows[k + 1], outS, sumsS, e, m, 0, W);
      rowVector(rows[k], rows[k + 22], rows[k + 1], outV, sumsV, e, m, 0, W);
      if (!Arrays.equals(outS, outV) || !Arrays.equals(sumsS, sumsV)) {
        throw new AssertionError("box row differs at row " + y);
      }
    }
    Run blurScalar = () -> {
      float[] s = sumsInit.clone();
      for (int y = 0; y < rowsPerImage; y++) {
        int k = y % 40;
        rowScalar(rows[k], rows[k + 22], rows[k + 1], outS, s, e, m, 0, W);
      }
    };
    Run blurVector = () -> {
      float[] s = sumsInit.clone();
      for (int y = 0; y < rowsPerImage; y++) {
        int k = y % 40;
        rowVector(rows[k], rows[k + 22], rows[k + 1], outV, s, e, m, 0, W);
      }
    };

    // Resize: 720 output rows, 6 taps each (2x down-scale: 12 taps), 1280 wide.
    int[][] lines = new int[16][W];
    for (int[] line : lines) {
      for (int x = 0; x < W; x++) {
        line[x] = 0xFF000000 | rnd.nextInt(0x1000000);
      }
    }
    int[] ar = new int[W];
    int[] ag = new int[W];
    int[] ab = new int[W];
    int[] br = new int[W];
    int[] bg = new int[W];
    int[] bb = new int[W];
    for (int t = 0; t < 12; t++) {
      addRow3Scalar(lines[t], 1000 - 150 * t, ar, ag, ab, W);
      addRow3Vector(lines[t], 1000 - 150 * t, br, bg, bb, W);
    }
    if (!Arrays.equals(ar, br) || !Arrays.equals(ag, bg) || !Arrays.equals(ab, bb)) {
      throw new AssertionError("addRow3 differs");
    }
    Run resizeScalar = () -> {
      for (int y = 0; y < H; y++) {
        for (int t = 0; t < 12; t++) {
          addRow3Scalar(lines[(y + t) & 15], 1000 - 150 * t, ar, ag, ab, W);
        }
      }
    };
    Run resizeVector = () -> {
      for (int y = 0; y < H; y++) {
        for (int t = 0; t < 12; t++) {
          addRow3Vector(lines[(y + t) & 15], 1000 - 150 * t, br, bg, bb, W);
        }
      }
    };

    // Warm-up, interleaved, then measured, interleaved.
    for (int i = 0; i < 3; i++) {
      best(blurScalar, 30);
      best(blurVector, 30);
      best(resizeScalar, 30);
      best(resizeVector, 30);
    }
    double[] t = new double[4];
    Arrays.fill(t, Double.MAX_VALUE);
    for (int i = 0; i < 5; i++) {
      t[0] = Math.min(t[0], best(blurScalar, rounds / 5));
      t[1] = Math.min(t[1], best(blurVector, rounds / 5));
      t[2] = Math.min(t[2], best(resizeScalar, rounds / 5));
      t[3] = Math.min(t[3], best(resizeVector, rounds / 5));
    }
    System.out.printf("species: float %d lanes, int %d lanes; outputs equal bit for bit%n", F.length(), I.length());
    System.out.printf("BLUR box rows, one 1280x720 RGB image (6 passes x 3 channels x 720 rows): plain %.2f ms, Vector API %.2f ms%n",
        t[0], t[1]);
    System.out.printf("Lanczos3 addRow3, 720 rows x 12 taps x 1280: plain %.2f ms, Vector API %.2f ms%n", t[2], t[3]);
  }
}
