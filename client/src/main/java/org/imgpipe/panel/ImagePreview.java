package org.imgpipe.panel;

import java.awt.Color;
import java.awt.Dimension;
import java.awt.FontMetrics;
import java.awt.Graphics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import javax.swing.JComponent;

/** One side of the before/after preview: the picture fitted into the component, its caption below. */
final class ImagePreview extends JComponent {

  private static final long serialVersionUID = 1L;

  private final String title;
  private transient PanelModel.Preview preview;

  ImagePreview(String title) {
    this.title = title;
    setPreferredSize(new Dimension(260, 220));
    setOpaque(true);
    setBackground(new Color(0xF4F4F4));
  }

  void setPreview(PanelModel.Preview p) {
    preview = p;
    repaint();
  }

  @Override
  protected void paintComponent(Graphics graphics) {
    Graphics2D g = Charts.prepare(graphics, this);
    FontMetrics fm = g.getFontMetrics();
    Charts.title(g, title, 8, fm.getAscent() + 4);
    int top = fm.getHeight() + 8;
    int bottom = getHeight() - fm.getHeight() - 6;
    int w = getWidth() - 16;
    String caption = preview == null ? "waiting for an image" : preview.caption();
    BufferedImage img = preview == null ? null : preview.image();
    if (img != null && bottom - top > 10 && w > 10) {
      double scale = Math.min((double) w / img.getWidth(), (double) (bottom - top) / img.getHeight());
      int iw = (int) Math.round(img.getWidth() * scale);
      int ih = (int) Math.round(img.getHeight() * scale);
      int x = 8 + (w - iw) / 2;
      int y = top + (bottom - top - ih) / 2;
      g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
      g.drawImage(img, x, y, iw, ih, null);
      g.setColor(Color.GRAY);
      g.drawRect(x - 1, y - 1, iw + 1, ih + 1);
    }
    g.setColor(Color.DARK_GRAY);
    String shown = caption;
    while (shown.length() > 4 && fm.stringWidth(shown) > w) {
      shown = shown.substring(0, shown.length() - 4) + "...";
    }
    g.drawString(shown, 8, getHeight() - 6 - fm.getDescent());
    g.dispose();
  }
}
