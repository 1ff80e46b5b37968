package org.imgpipe.panel;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.util.List;
import java.util.Map;
import javax.swing.JComponent;

/**
 * Where the work went: one horizontal bar per node (host), split by stage, its length the number of
 * stages that node served over the successful images (from each answer's host_map).
 */
final class NodeDistributionChart extends JComponent {

  private static final long serialVersionUID = 1L;

  private transient Map<String, Map<String, Integer>> distribution = Map.of();

  NodeDistributionChart() {
    setPreferredSize(new Dimension(360, 220));
    setOpaque(true);
    setBackground(Color.WHITE);
  }

  void setDistribution(Map<String, Map<String, Integer>> d) {
    distribution = Map.copyOf(d);
    repaint();
  }

  /** Stages a node served, counted in the chart's stage order (the orchestrator's own entry aside). */
  static int served(Map<String, Integer> counts) {
    int sum = 0;
    for (String s : Charts.STAGES) {
      sum += counts.getOrDefault(s, 0);
    }
    return sum;
  }

  @Override
  protected void paintComponent(Graphics graphics) {
    Graphics2D g = Charts.prepare(graphics, this);
    FontMetrics fm = g.getFontMetrics();
    Charts.title(g, "Stages served per node", 8, fm.getAscent() + 4);
    int legendY = fm.getHeight() + 8;
    int top = Charts.legend(g, Charts.STAGES, Charts.STAGE_COLOURS, 8, legendY, getWidth() - 8) + 8;
    int bottom = getHeight() - 8;
    int right = getWidth() - 12;
    List<String> nodes = distribution.keySet().stream().sorted().toList();
    int labelW = 0;
    for (String n : nodes) {
      labelW = Math.max(labelW, fm.stringWidth(n));
    }
    int left = 8 + labelW + 8;
    if (nodes.isEmpty() || bottom - top < 10 || right - left < 40) {
      Charts.empty(g, "no successful image yet", 8, top, getWidth() - 8, bottom);
      return;
    }
    int max = 1;
    for (String n : nodes) {
      max = Math.max(max, served(distribution.get(n)));
    }
    int rowH = Math.min(34, (bottom - top) / nodes.size());
    int barH = Math.max(6, rowH - 10);
    int countW = fm.stringWidth(" 0000");
    for (int i = 0; i < nodes.size(); i++) {
      String node = nodes.get(i);
      Map<String, Integer> counts = distribution.get(node);
      int y = top + i * rowH;
      g.setColor(Color.DARK_GRAY);
      g.drawString(node, 8, y + (barH + fm.getAscent()) / 2 - 1);
      double x = left;
      double unit = (double) (right - left - countW) / max;
      for (int s = 0; s < Charts.STAGES.size(); s++) {
        int c = counts.getOrDefault(Charts.STAGES.get(s), 0);
        g.setColor(Charts.STAGE_COLOURS.get(s));
        g.fillRect((int) Math.round(x), y, (int) Math.round(x + c * unit) - (int) Math.round(x), barH);
        x += c * unit;
      }
      g.setColor(Color.DARK_GRAY);
      g.drawString(Integer.toString(served(counts)), (int) Math.round(x) + 4, y + (barH + fm.getAscent()) / 2 - 1);
    }
    g.dispose();
  }
}
