package org.imgpipe.panel;

import java.awt.Rectangle;
import java.awt.Robot;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;
import javax.imageio.ImageIO;
import javax.swing.AbstractButton;
import javax.swing.JLabel;
import javax.swing.JProgressBar;
import javax.swing.JSpinner;
import javax.swing.JTable;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.SwingUtilities;

/**
 * Runs in a child JVM with a display (PanelWindowTest starts it under Xvfb): opens the real window,
 * types the node's address, checks the services, sets a small batch, presses Start, waits for the end,
 * takes a screenshot and writes what the window shows into a properties file for the test to check.
 *
 * <p>Arguments: orchestrator host:port, the other ports ("r, f, w, fmt"), image count, output folder,
 * report file, screenshot file.
 */
public final class PanelWindowDriver {

  private static final long RUN_TIMEOUT_MS = 90_000;
  private static final long NODE_WAIT_MS = 150_000;

  public static void main(String[] args) throws Exception {
    String address = args[0];
    String otherPorts = args[1];
    int images = Integer.parseInt(args[2]);
    Path output = Path.of(args[3]);
    Path report = Path.of(args[4]);
    Path screenshot = Path.of(args[5]);
    Properties p = new Properties();
    AtomicReference<ControlPanelFrame> frameRef = new AtomicReference<>();
    try {
      SwingUtilities.invokeAndWait(() -> {
        ControlPanelFrame f = address.equals("stub")
            ? PanelApp.create(PanelSettings.defaults(), s -> PanelWindowDriver::stubAnswer)
            : PanelApp.create(PanelSettings.defaults());
        f.setLocation(0, 0);
        f.setVisible(true);
        frameRef.set(f);
      });
      ControlPanelFrame frame = frameRef.get();
      if (!address.equals("stub")) {
        awaitPort(address, NODE_WAIT_MS);
      }
      p.setProperty("title", onEdt(frame::getTitle));
      onEdt(() -> {
        ((JTextField) frame.find("address")).setText(address);
        ((JTextField) frame.find("otherPorts")).setText(otherPorts);
        ((JSpinner) frame.find("imageCount")).setValue(images);
        ((JTextField) frame.find("outputFolder")).setText(output.toString());
        return null;
      });
      // Check the services as a user would, pressing again (at most three times) while one is not up
      // yet: on a loaded machine a just-started node can miss a check's time limit.
      for (int attempt = 1; attempt <= 3; attempt++) {
        onEdt(() -> {
          ((AbstractButton) frame.find("probe")).doClick();
          return null;
        });
        long probeDeadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < probeDeadline && onEdt(() -> frame.panelModel().probeStatus().values()
            .stream().anyMatch(st -> st.level() == ServiceProbe.Level.CHECKING))) {
          Thread.sleep(50);
        }
        if (onEdt(() -> frame.panelModel().probeStatus().values().stream()
            .allMatch(st -> st.level() == ServiceProbe.Level.UP))) {
          break;
        }
      }
      onEdt(() -> {
        frame.panelModel().probeStatus().forEach((k, v) -> {
          p.setProperty("probe." + k, v.level().name());
          p.setProperty("probe." + k + ".detail", v.detail());
        });
        return null;
      });

      onEdt(() -> {
        ((AbstractButton) frame.find("start")).doClick();
        return null;
      });
      p.setProperty("startEnabledWhileRunning", String.valueOf(onEdt(() -> frame.find("start").isEnabled())));
      p.setProperty("cancelEnabledWhileRunning", String.valueOf(onEdt(() -> frame.find("cancel").isEnabled())));
      long deadline = System.currentTimeMillis() + RUN_TIMEOUT_MS;
      while (System.currentTimeMillis() < deadline
          && onEdt(() -> frame.panelModel().running() || frame.panelModel().summary() == null)) {
        Thread.sleep(100);
      }
      p.setProperty("finishedInTime", String.valueOf(onEdt(() -> frame.panelModel().summary() != null)));
      // Let the last repaint land before the screenshot.
      Thread.sleep(500);
      onEdt(() -> {
        JProgressBar bar = (JProgressBar) frame.find("progress");
        p.setProperty("progress.value", Integer.toString(bar.getValue()));
        p.setProperty("progress.max", Integer.toString(bar.getMaximum()));
        p.setProperty("progress.indeterminate", String.valueOf(bar.isIndeterminate()));
        p.setProperty("status", ((JLabel) frame.find("status")).getText());
        p.setProperty("log", ((JTextArea) frame.find("log")).getText());
        JTable table = (JTable) frame.find("results");
        p.setProperty("table.rows", Integer.toString(table.getRowCount()));
        for (int r = 0; r < table.getRowCount(); r++) {
          StringBuilder row = new StringBuilder();
          for (int c = 0; c < table.getColumnCount(); c++) {
            row.append(c == 0 ? "" : " | ").append(table.getValueAt(r, c));
          }
          p.setProperty("table.row." + r, row.toString());
        }
        p.setProperty("preview.before", String.valueOf(frame.panelModel().before() != null
            && frame.panelModel().before().image() != null));
        p.setProperty("preview.after", String.valueOf(frame.panelModel().after() != null
            && frame.panelModel().after().image() != null));
        p.setProperty("startEnabledAfter", String.valueOf(frame.find("start").isEnabled()));
        return null;
      });
      Rectangle bounds = onEdt(frame::getBounds);
      BufferedImage shot = new Robot().createScreenCapture(bounds);
      Files.createDirectories(screenshot.toAbsolutePath().getParent());
      ImageIO.write(shot, "png", screenshot.toFile());
      p.setProperty("screenshot", screenshot.toString());
      p.setProperty("ok", "true");
    } catch (Throwable t) {
      p.setProperty("ok", "false");
      p.setProperty("error", t.toString());
      t.printStackTrace();
    } finally {
      write(p, report);
      ControlPanelFrame f = frameRef.get();
      if (f != null) {
        SwingUtilities.invokeAndWait(f::dispose);
      }
    }
    System.exit("true".equals(p.getProperty("ok")) ? 0 : 1);
  }

  /** For looking at the window without a node: answers like an orchestrator, with made-up numbers. */
  static java.util.Map<String, Object> stubAnswer(String filename, byte[] image, java.util.Map<String, Object> o)
      throws InterruptedException {
    int i = Integer.parseInt(filename.replaceAll(".*_(\\d+)\\..*", "$1"));
    Thread.sleep(150);
    java.util.Map<String, Object> hostMap = new java.util.LinkedHashMap<>();
    String node = i % 3 == 0 ? "127.0.0.3" : "127.0.0.2";
    hostMap.put("Resize", node + ":50052");
    hostMap.put("Filter-1 (BLUR)", "127.0.0.4:50053");
    hostMap.put("Watermark", node + ":50054");
    hostMap.put("Format", "127.0.0.2:50056");
    java.util.Map<String, Object> stats = new java.util.LinkedHashMap<>();
    stats.put("original_size_bytes", image.length);
    stats.put("resize_time_ms", 40 + 7 * i);
    stats.put("filter_time_ms", 60 + (i % 4) * 20);
    stats.put("watermark_time_ms", 15);
    stats.put("format_time_ms", 30);
    stats.put("host_map", hostMap);
    stats.put("total_time_ms", 150 + 7 * i);
    stats.put("processed_size_bytes", image.length);
    java.util.Map<String, Object> a = new java.util.LinkedHashMap<>();
    a.put("success", i != 5);
    a.put("message", i != 5 ? "Processing completed successfully" : "Filter failed: made-up failure");
    a.put("process_id", "p" + i);
    a.put("processed_image", image);
    a.put("stats", stats);
    return a;
  }

  /** Waits until something accepts connections on host:port (the node starts beside the window). */
  private static void awaitPort(String address, long timeoutMs) throws InterruptedException {
    String host = address.substring(0, address.lastIndexOf(':'));
    int port = Integer.parseInt(address.substring(address.lastIndexOf(':') + 1));
    long deadline = System.currentTimeMillis() + timeoutMs;
    while (true) {
      try (java.net.Socket s = new java.net.Socket()) {
        s.connect(new java.net.InetSocketAddress(host, port), 1000);
        return;
      } catch (IOException e) {
        if (System.currentTimeMillis() > deadline) {
          throw new IllegalStateException("nothing answers on " + address + " after " + timeoutMs + " ms");
        }
        Thread.sleep(200);
      }
    }
  }

  private static <T> T onEdt(Callable<T> c) throws Exception {
    AtomicReference<T> out = new AtomicReference<>();
    AtomicReference<Exception> err = new AtomicReference<>();
    SwingUtilities.invokeAndWait(() -> {
      try {
        out.set(c.call());
      } catch (Exception e) {
        err.set(e);
      }
    });
    if (err.get() != null) {
      throw err.get();
    }
    return out.get();
  }

  private static void write(Properties p, Path report) throws IOException {
    Files.createDirectories(report.toAbsolutePath().getParent());
    try (OutputStream out = Files.newOutputStream(report)) {
      p.store(out, "panel window driver");
    }
  }
}
