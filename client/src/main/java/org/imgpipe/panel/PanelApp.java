package org.imgpipe.panel;

import java.awt.Desktop;
import java.awt.GraphicsEnvironment;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import javax.swing.JOptionPane;
import javax.swing.SwingUtilities;
import javax.swing.UIManager;

/** Builds the control panel window with its production parts: Swing dialogs, the desktop, XML-RPC. */
public final class PanelApp {

  private PanelApp() {}

  /** Creates the window (not yet visible). Call on the event-dispatch thread. */
  public static ControlPanelFrame create(PanelSettings initial) {
    return create(initial, PanelController::xmlRpcService);
  }

  /** The window with another way to reach process_image (tests). Call on the event-dispatch thread. */
  static ControlPanelFrame create(PanelSettings initial,
      java.util.function.Function<PanelSettings, org.imgpipe.demo.PipelineService> services) {
    if (!SwingUtilities.isEventDispatchThread()) {
      throw new IllegalStateException("create the panel on the event-dispatch thread");
    }
    AtomicInteger n = new AtomicInteger();
    ExecutorService background = Executors.newCachedThreadPool(r -> {
      Thread t = new Thread(r, "imgpipe-panel-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    ControlPanelFrame[] frame = new ControlPanelFrame[1];
    PanelController.Dialogs dialogs = new PanelController.Dialogs() {
      @Override
      public boolean confirm(String title, String question) {
        return JOptionPane.showConfirmDialog(frame[0], question, title, JOptionPane.YES_NO_OPTION,
            JOptionPane.WARNING_MESSAGE) == JOptionPane.YES_OPTION;
      }

      @Override
      public void inform(String title, String message) {
        JOptionPane.showMessageDialog(frame[0], message, title, JOptionPane.INFORMATION_MESSAGE);
      }
    };
    PanelController controller = new PanelController(new PanelModel(), SwingUtilities::invokeLater, background,
        services, dialogs, desktopOpener());
    frame[0] = new ControlPanelFrame(controller, initial);
    return frame[0];
  }

  /** java.awt.Desktop's OPEN action, when this desktop has one. */
  static PanelController.FolderOpener desktopOpener() {
    return new PanelController.FolderOpener() {
      @Override
      public boolean supported() {
        return Desktop.isDesktopSupported() && Desktop.getDesktop().isSupported(Desktop.Action.OPEN);
      }

      @Override
      public void open(Path folder) throws IOException {
        Desktop.getDesktop().open(folder.toFile());
      }
    };
  }

  /**
   * Shows the window and blocks until it is closed.
   *
   * @throws IllegalStateException when there is no display
   */
  public static void showAndWait(PanelSettings initial) throws InterruptedException {
    if (GraphicsEnvironment.isHeadless()) {
      throw new IllegalStateException("no display: the panel needs a desktop session (set DISPLAY, or run it "
          + "under xvfb-run for a virtual one)");
    }
    java.util.concurrent.CountDownLatch closed = new java.util.concurrent.CountDownLatch(1);
    SwingUtilities.invokeLater(() -> {
      try {
        UIManager.setLookAndFeel(UIManager.getCrossPlatformLookAndFeelClassName());
      } catch (ReflectiveOperationException | javax.swing.UnsupportedLookAndFeelException ignored) {
        // keep the default look
      }
      ControlPanelFrame f = create(initial);
      // A bug in a listener must not take the window down unseen: it goes to the processing log.
      Thread.setDefaultUncaughtExceptionHandler((t, e) -> SwingUtilities.invokeLater(() ->
          f.panelModel().log("Unexpected error in " + t.getName() + ": " + ServiceProbe.rootMessage(e))));
      f.addWindowListener(new java.awt.event.WindowAdapter() {
        @Override
        public void windowClosed(java.awt.event.WindowEvent e) {
          closed.countDown();
        }
      });
      f.setVisible(true);
    });
    closed.await();
  }

  public static void main(String[] args) throws InterruptedException {
    showAndWait(PanelSettings.defaults());
  }
}
