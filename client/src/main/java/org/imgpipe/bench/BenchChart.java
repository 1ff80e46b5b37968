package org.imgpipe.bench;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import javax.imageio.ImageIO;

/**
 * The bench's chart, drawn with Java2D: throughput per concurrency (bars per workload, with dashed
 * reference lines such as libvips or a target), p95 latency per concurrency, and the mean request's
 * split into stages per workload and concurrency.
 */
public final class BenchChart {

  public static final int WIDTH = 1500;
  public static final int HEIGHT = 560;

  /** A labelled horizontal line on the throughput panel (images/s). */
  public record Reference(String label, double imagesPerSecond) {}

  private static final Color[] SERIES = {new Color(0x1f77b4), new Color(0xff7f0e), new Color(0x2ca02c),
      new Color(0xd62728)};
  private static final Color[] STAGES = {new Color(0x4e79a7), new Color(0xf28e2b), new Color(0xe15759),
      new Color(0x76b7b2), new Color(0xbab0ac), new Color(0x59a14f)};
  private static final String[] STAGE_NAMES = {"resize", "filters", "watermark", "format", "pipeline", "transport"};

  private BenchChart() {}

  /** The chart as PNG bytes. */
  public static byte[] png(List<RunResult> runs, List<Reference> references, String title) throws IOException {
    BufferedImage img = draw(runs, references, title);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ImageIO.write(img, "png", out);
    return out.toByteArray();
  }

  static BufferedImage draw(List<RunResult> runs, List<Reference> references, String title) {
    BufferedImage img = new BufferedImage(WIDTH, HEIGHT, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = img.createGraphics();
    try {
      g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, WIDTH, HEIGHT);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 18));
      g.drawString(title, 20, 30);
      Map<String, List<RunResult>> byWorkload = new LinkedHashMap<>();
      for (RunResult r : runs) {
        byWorkload.computeIfAbsent(r.workload(), k -> new ArrayList<>()).add(r);
      }
      List<Integer> levels = new ArrayList<>(new TreeSet<>(runs.stream().map(RunResult::concurrency).toList()));
      int panelW = (WIDTH - 80) / 3;
      throughput(g, 20, 60, panelW, HEIGHT - 120, byWorkload, levels, references);
      latency(g, 40 + panelW, 60, panelW, HEIGHT - 120, byWorkload, levels);
      stages(g, 60 + 2 * panelW, 60, panelW, HEIGHT - 120, runs);
    } finally {
      g.dispose();
    }
    return img;
  }

  private static void throughput(Graphics2D g, int x, int y, int w, int h, Map<String, List<RunResult>> byWorkload,
      List<Integer> levels, List<Reference> refs) {
    double max = 1;
    for (RunResult r : byWorkload.values().stream().flatMap(List::stream).toList()) {
      max = Math.max(max, r.throughput());
    }
    for (Reference ref : refs) {
      max = Math.max(max, ref.imagesPerSecond());
    }
    max = nice(max * 1.1);
    Frame f = axes(g, x, y, w, h, "throughput, images/s", max, levels);
    int groups = Math.max(1, levels.size());
    int series = Math.max(1, byWorkload.size());
    double groupW = (double) f.w / groups;
    double barW = groupW * 0.7 / series;
    int s = 0;
    for (Map.Entry<String, List<RunResult>> e : byWorkload.entrySet()) {
      g.setColor(SERIES[s % SERIES.length]);
      for (RunResult r : e.getValue()) {
        int gi = levels.indexOf(r.concurrency());
        int bx = (int) (f.x + gi * groupW + groupW * 0.15 + s * barW);
        int bh = (int) (r.throughput() / max * f.h);
        g.fillRect(bx, f.y + f.h - bh, (int) Math.max(1, barW - 2), bh);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
        g.drawString(String.format(Locale.ROOT, "%.1f", r.throughput()), bx, f.y + f.h - bh - 3);
      }
      legend(g, x + 60 + s * 110, y + h + 40, SERIES[s % SERIES.length], e.getKey());
      s++;
    }
    g.setStroke(new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {6, 4}, 0));
    int ri = 0;
    for (Reference ref : refs) {
      int ry = f.y + f.h - (int) (ref.imagesPerSecond() / max * f.h);
      g.setColor(Color.DARK_GRAY);
      g.drawLine(f.x, ry, f.x + f.w, ry);
      g.setFont(new Font(Font.SANS_SERIF, Font.ITALIC, 11));
      g.drawString(ref.label(), f.x + 4 + (ri++ % 2) * f.w / 2, ry - 3);
    }
    g.setStroke(new BasicStroke(1));
  }

  private static void latency(Graphics2D g, int x, int y, int w, int h, Map<String, List<RunResult>> byWorkload,
      List<Integer> levels) {
    double max = 1;
    for (RunResult r : byWorkload.values().stream().flatMap(List::stream).toList()) {
      max = Math.max(max, r.latency().p95());
    }
    max = nice(max * 1.1);
    Frame f = axes(g, x, y, w, h, "p95 latency, ms (p50 dotted)", max, levels);
    double groupW = (double) f.w / Math.max(1, levels.size());
    int s = 0;
    for (List<RunResult> list : byWorkload.values()) {
      Color c = SERIES[s++ % SERIES.length];
      for (int pass = 0; pass < 2; pass++) {
        g.setColor(c);
        g.setStroke(pass == 0 ? new BasicStroke(2.5f)
            : new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10, new float[] {2, 3}, 0));
        int px = -1;
        int py = -1;
        for (RunResult r : list) {
          int cx = (int) (f.x + (levels.indexOf(r.concurrency()) + 0.5) * groupW);
          long v = pass == 0 ? r.latency().p95() : r.latency().p50();
          int cy = f.y + f.h - (int) (v / max * f.h);
          g.fillOval(cx - 3, cy - 3, 7, 7);
          if (px >= 0) {
            g.drawLine(px, py, cx, cy);
          }
          if (pass == 0) {
            g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
            g.drawString(Long.toString(v), cx + 5, cy - 5);
          }
          px = cx;
          py = cy;
        }
      }
    }
    g.setStroke(new BasicStroke(1));
  }

  private static void stages(Graphics2D g, int x, int y, int w, int h, List<RunResult> runs) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString("mean request, ms by stage", x, y);
    if (runs.isEmpty()) {
      return;
    }
    double max = 1;
    for (RunResult r : runs) {
      max = Math.max(max, r.stages().roundTrip());
    }
    max = nice(max * 1.05);
    int labelW = 80;
    int top = y + 15;
    int rowH = Math.min(40, (h - 30) / runs.size());
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    for (int i = 0; i < runs.size(); i++) {
      RunResult r = runs.get(i);
      double[] parts = {r.stages().resize(), r.stages().filters(), r.stages().watermark(), r.stages().format(),
          r.stages().pipeline(), r.stages().transport()};
      int ry = top + i * rowH;
      g.setColor(Color.BLACK);
      g.drawString(r.workload() + " C=" + r.concurrency(), x, ry + rowH / 2 + 4);
      double acc = 0;
      for (int p = 0; p < parts.length; p++) {
        int bx = x + labelW + (int) (acc / max * (w - labelW));
        int bw = (int) Math.round(parts[p] / max * (w - labelW));
        g.setColor(STAGES[p]);
        g.fillRect(bx, ry + 3, Math.max(0, bw), rowH - 6);
        acc += parts[p];
      }
      g.setColor(Color.BLACK);
      g.drawString(String.format(Locale.ROOT, "%.0f", acc), x + labelW + (int) (acc / max * (w - labelW)) + 3,
          ry + rowH / 2 + 4);
    }
    for (int p = 0; p < STAGE_NAMES.length; p++) {
      legend(g, x + (p % 3) * 110, y + h + 25 + (p / 3) * 18, STAGES[p], STAGE_NAMES[p]);
    }
  }

  private record Frame(int x, int y, int w, int h) {}

  private static Frame axes(Graphics2D g, int x, int y, int w, int h, String title, double max, List<Integer> levels) {
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
    g.drawString(title, x, y);
    Frame f = new Frame(x + 45, y + 15, w - 55, h - 15);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
    FontMetrics fm = g.getFontMetrics();
    for (int t = 0; t <= 5; t++) {
      double v = max * t / 5;
      int ty = f.y + f.h - (int) (f.h * t / 5.0);
      g.setColor(new Color(0xDDDDDD));
      g.drawLine(f.x, ty, f.x + f.w, ty);
      g.setColor(Color.BLACK);
      String label = v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.1f", v);
      g.drawString(label, f.x - 6 - fm.stringWidth(label), ty + 4);
    }
    g.drawLine(f.x, f.y, f.x, f.y + f.h);
    g.drawLine(f.x, f.y + f.h, f.x + f.w, f.y + f.h);
    double groupW = (double) f.w / Math.max(1, levels.size());
    for (int i = 0; i < levels.size(); i++) {
      String label = "C=" + levels.get(i);
      g.drawString(label, (int) (f.x + (i + 0.5) * groupW - fm.stringWidth(label) / 2.0), f.y + f.h + 16);
    }
    return f;
  }

  private static void legend(Graphics2D g, int x, int y, Color c, String label) {
    g.setColor(c);
    g.fillRect(x, y - 10, 12, 12);
    g.setColor(Color.BLACK);
    g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
    g.drawString(label, x + 16, y);
  }

  /** The next "nice" axis maximum (1, 2 or 5 times a power of ten) at or above v. */
  static double nice(double v) {
    if (v <= 0) {
      return 1;
    }
    double p = Math.pow(10, Math.floor(Math.log10(v)));
    for (double m : new double[] {1, 2, 5, 10}) {
      if (m * p >= v) {
        return m * p;
      }
    }
    return 10 * p;
  }
}
