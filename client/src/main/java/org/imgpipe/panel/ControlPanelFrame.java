package org.imgpipe.panel;

import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Component;
import java.awt.Dimension;
import java.awt.FlowLayout;
import java.awt.Font;
import java.awt.Graphics;
import java.awt.GridBagConstraints;
import java.awt.GridBagLayout;
import java.awt.GridLayout;
import java.awt.Insets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import javax.swing.BorderFactory;
import javax.swing.Box;
import javax.swing.ButtonGroup;
import javax.swing.DefaultListModel;
import javax.swing.Icon;
import javax.swing.JButton;
import javax.swing.JCheckBox;
import javax.swing.JColorChooser;
import javax.swing.JComboBox;
import javax.swing.JComponent;
import javax.swing.JFileChooser;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JProgressBar;
import javax.swing.JRadioButton;
import javax.swing.JScrollPane;
import javax.swing.JSpinner;
import javax.swing.JSplitPane;
import javax.swing.JTable;
import javax.swing.JTextArea;
import javax.swing.JTextField;
import javax.swing.ListSelectionModel;
import javax.swing.SpinnerNumberModel;
import javax.swing.WindowConstants;
import org.imgpipe.config.ImgpipeSettings.Role;

/**
 * The control panel window: connection bar with one indicator per service, the batch and option form
 * on the left, progress, preview, charts, results table and log on the right. It only reads the form
 * and shows the {@link PanelModel}; the {@link PanelController} does the work.
 *
 * <p>Components a test drives carry names (address, imageCount, start, cancel, progress, status, log,
 * results, outputFolder, ...); see {@link #NAMES}.
 */
public final class ControlPanelFrame extends JFrame {

  private static final long serialVersionUID = 1L;

  public static final String TITLE = "imgpipe control panel";

  /** The names of the components a test may look up. */
  public static final List<String> NAMES = List.of("address", "otherPorts", "probe", "imageCount", "concurrency",
      "synthetic", "folder", "inputFolder", "outputFolder", "targetWidth", "targetHeight", "keepAspect",
      "rotateLikeOriginal", "filters", "intensity", "addWatermark", "watermarkText", "position", "fontSize", "colour",
      "opacity", "format", "quality", "start", "cancel", "openOutput", "clearOutput", "exportCsv", "progress", "status",
      "log", "results", "before", "after", "stageChart", "nodeChart");

  private static final List<Role> OTHER_SERVICES = List.of(Role.RESIZE, Role.FILTER, Role.WATERMARK, Role.FORMAT);

  private final transient PanelController controller;
  private final transient PanelModel model;

  private final JTextField address = new JTextField(16);
  private final JTextField otherPorts = new JTextField(15);
  private final Map<String, JLabel> indicators = new LinkedHashMap<>();
  private final JSpinner imageCount = new JSpinner(
      new SpinnerNumberModel(30, PanelSettings.MIN_IMAGES, PanelSettings.MAX_IMAGES, 1));
  private final JSpinner concurrency = new JSpinner(new SpinnerNumberModel(2, 1, PanelSettings.MAX_CONCURRENCY, 1));
  private final JRadioButton synthetic = new JRadioButton("Synthetic images (the original's batch)");
  private final JRadioButton folder = new JRadioButton("Images from a folder");
  private final JTextField inputFolder = new JTextField(14);
  private final JTextField outputFolder = new JTextField(14);
  private final JSpinner targetWidth = new JSpinner(new SpinnerNumberModel(1280, 0, 10_000, 16));
  private final JSpinner targetHeight = new JSpinner(new SpinnerNumberModel(720, 0, 10_000, 16));
  private final JCheckBox keepAspect = new JCheckBox("Keep aspect ratio");
  private final JCheckBox rotateLikeOriginal = new JCheckBox("Original's rotating filters and texts");
  private final DefaultListModel<String> filterList = new DefaultListModel<>();
  private final JList<String> filters = new JList<>(filterList);
  private final JComboBox<String> filterChoice = new JComboBox<>(PanelSettings.FILTER_NAMES.toArray(String[]::new));
  private final JSpinner intensity = new JSpinner(new SpinnerNumberModel(1.0, 0.0, 5.0, 0.1));
  private final JCheckBox addWatermark = new JCheckBox("Watermark");
  private final JTextField watermarkText = new JTextField(12);
  private final JComboBox<String> position = new JComboBox<>(PanelSettings.POSITIONS.toArray(String[]::new));
  private final JSpinner fontSize = new JSpinner(new SpinnerNumberModel(30, 6, 400, 1));
  private final JTextField colour = new JTextField(7);
  private final JSpinner opacity = new JSpinner(new SpinnerNumberModel(0.8, 0.0, 1.0, 0.05));
  private final JComboBox<String> format = new JComboBox<>(PanelSettings.FORMATS.toArray(String[]::new));
  private final JSpinner quality = new JSpinner(new SpinnerNumberModel(90, 1, 100, 1));
  private final JButton start = new JButton("Start");
  private final JButton cancel = new JButton("Cancel");
  private final JButton openOutput = new JButton("Open output folder");
  private final JButton clearOutput = new JButton("Clear output");
  private final JButton exportCsv = new JButton("Export CSV...");
  private final JProgressBar progress = new JProgressBar(0, 30);
  private final JLabel status = new JLabel("Ready");
  private final JTextArea log = new JTextArea();
  private final ResultsTableModel tableModel = new ResultsTableModel();
  private final JTable results = new JTable(tableModel);
  private final ImagePreview before = new ImagePreview("Before");
  private final ImagePreview after = new ImagePreview("After");
  private final StageTimesChart stageChart = new StageTimesChart();
  private final NodeDistributionChart nodeChart = new NodeDistributionChart();
  private final List<JComponent> formFields = new ArrayList<>();
  private transient ServiceAddresses lastServices;

  public ControlPanelFrame(PanelController controller, PanelSettings initial) {
    super(TITLE);
    this.controller = controller;
    this.model = controller.model();
    nameComponents();
    for (JSpinner sp : List.of(imageCount, concurrency, targetWidth, targetHeight, fontSize, quality)) {
      sp.setEditor(new JSpinner.NumberEditor(sp, "0"));
    }
    fill(initial);
    setDefaultCloseOperation(WindowConstants.DISPOSE_ON_CLOSE);
    JPanel root = new JPanel(new BorderLayout(6, 6));
    root.setBorder(BorderFactory.createEmptyBorder(6, 6, 6, 6));
    root.add(connectionBar(), BorderLayout.NORTH);
    JScrollPane form = new JScrollPane(formPanel(), JScrollPane.VERTICAL_SCROLLBAR_AS_NEEDED,
        JScrollPane.HORIZONTAL_SCROLLBAR_NEVER);
    form.setBorder(null);
    form.getVerticalScrollBar().setUnitIncrement(16);
    form.setPreferredSize(new Dimension(370, 600));
    root.add(form, BorderLayout.WEST);
    root.add(workArea(), BorderLayout.CENTER);
    setContentPane(root);
    wire();
    model.addListener(new PanelModel.Listener() {
      @Override
      public void logged(String line) {
        log.append(line + "\n");
        log.setCaretPosition(log.getDocument().getLength());
      }

      @Override
      public void cleared() {
        log.setText("");
      }

      @Override
      public void changed(PanelModel.Aspect aspect) {
        show(aspect);
      }
    });
    for (PanelModel.Aspect a : PanelModel.Aspect.values()) {
      show(a);
    }
    setMinimumSize(new Dimension(1000, 700));
    setSize(1260, 960);
    setLocationRelativeTo(null);
  }

  private void nameComponents() {
    Map<String, Component> byName = new LinkedHashMap<>();
    byName.put("address", address);
    byName.put("otherPorts", otherPorts);
    byName.put("imageCount", imageCount);
    byName.put("concurrency", concurrency);
    byName.put("synthetic", synthetic);
    byName.put("folder", folder);
    byName.put("inputFolder", inputFolder);
    byName.put("outputFolder", outputFolder);
    byName.put("targetWidth", targetWidth);
    byName.put("targetHeight", targetHeight);
    byName.put("keepAspect", keepAspect);
    byName.put("rotateLikeOriginal", rotateLikeOriginal);
    byName.put("filters", filters);
    byName.put("intensity", intensity);
    byName.put("addWatermark", addWatermark);
    byName.put("watermarkText", watermarkText);
    byName.put("position", position);
    byName.put("fontSize", fontSize);
    byName.put("colour", colour);
    byName.put("opacity", opacity);
    byName.put("format", format);
    byName.put("quality", quality);
    byName.put("start", start);
    byName.put("cancel", cancel);
    byName.put("openOutput", openOutput);
    byName.put("clearOutput", clearOutput);
    byName.put("exportCsv", exportCsv);
    byName.put("progress", progress);
    byName.put("status", status);
    byName.put("log", log);
    byName.put("results", results);
    byName.put("before", before);
    byName.put("after", after);
    byName.put("stageChart", stageChart);
    byName.put("nodeChart", nodeChart);
    byName.forEach((n, c) -> c.setName(n));
  }

  /** Puts a settings value into the form. */
  void fill(PanelSettings s) {
    address.setText(s.services().orchestratorAddress());
    List<String> ports = new ArrayList<>();
    for (Role r : OTHER_SERVICES) {
      ports.add(Integer.toString(s.services().port(r)));
    }
    otherPorts.setText(String.join(", ", ports));
    lastServices = s.services();
    imageCount.setValue(s.imageCount());
    concurrency.setValue(s.concurrency());
    synthetic.setSelected(s.source() == PanelSettings.SourceKind.SYNTHETIC);
    folder.setSelected(s.source() == PanelSettings.SourceKind.FOLDER);
    inputFolder.setText(s.inputFolder() == null ? "" : s.inputFolder().toString());
    outputFolder.setText(s.outputFolder() == null ? "" : s.outputFolder().toString());
    targetWidth.setValue(s.targetWidth());
    targetHeight.setValue(s.targetHeight());
    keepAspect.setSelected(s.keepAspect());
    rotateLikeOriginal.setSelected(s.rotateLikeOriginal());
    filterList.clear();
    s.filters().forEach(filterList::addElement);
    intensity.setValue(s.filterIntensity());
    addWatermark.setSelected(s.addWatermark());
    watermarkText.setText(s.watermarkText());
    position.setSelectedItem(s.watermarkPosition());
    fontSize.setValue(s.watermarkFontSize());
    colour.setText(s.watermarkColor());
    opacity.setValue(s.watermarkOpacity());
    format.setSelectedItem(s.outputFormat());
    quality.setValue(s.outputQuality());
  }

  /** The form as a settings value (the controller validates it). */
  public PanelSettings readSettings() {
    ServiceAddresses services = lastServices.withOrchestrator(address.getText());
    String[] parts = otherPorts.getText().split("[,\\s]+");
    for (int i = 0; i < OTHER_SERVICES.size(); i++) {
      int port = -1;
      String p = i < parts.length ? parts[i].trim() : "";
      if (p.matches("\\d{1,5}")) {
        port = Integer.parseInt(p);
      }
      services = services.withPort(OTHER_SERVICES.get(i), port);
    }
    List<String> chosen = new ArrayList<>();
    for (int i = 0; i < filterList.size(); i++) {
      chosen.add(filterList.get(i));
    }
    PanelSettings d = PanelSettings.defaults();
    return new PanelSettings(services, d.callTimeout(), ((Number) imageCount.getValue()).intValue(),
        folder.isSelected() ? PanelSettings.SourceKind.FOLDER : PanelSettings.SourceKind.SYNTHETIC,
        pathOrNull(inputFolder.getText()), pathOrNull(outputFolder.getText()),
        ((Number) concurrency.getValue()).intValue(), ((Number) targetWidth.getValue()).intValue(),
        ((Number) targetHeight.getValue()).intValue(), keepAspect.isSelected(), rotateLikeOriginal.isSelected(),
        chosen, ((Number) intensity.getValue()).doubleValue(), addWatermark.isSelected(), watermarkText.getText(),
        String.valueOf(position.getSelectedItem()), ((Number) fontSize.getValue()).intValue(), colour.getText(),
        ((Number) opacity.getValue()).doubleValue(), String.valueOf(format.getSelectedItem()),
        ((Number) quality.getValue()).intValue());
  }

  private static Path pathOrNull(String text) {
    String t = text.trim();
    if (t.isEmpty()) {
      return null;
    }
    try {
      return Path.of(t);
    } catch (java.nio.file.InvalidPathException e) {
      return null;
    }
  }

  // Layout.

  private JComponent connectionBar() {
    JPanel bar = new JPanel(new FlowLayout(FlowLayout.LEFT, 6, 2));
    JPanel lights = new JPanel(new FlowLayout(FlowLayout.LEFT, 10, 2));
    lights.add(new JLabel("Services:"));
    bar.add(new JLabel("Orchestrator"));
    address.setToolTipText("host:port of the orchestrator (process_image)");
    bar.add(address);
    JLabel portsLabel = new JLabel("Resize, filter, watermark, format ports");
    bar.add(portsLabel);
    otherPorts.setToolTipText("The other services' ports on the same host, in this order");
    bar.add(otherPorts);
    JButton probe = new JButton("Check services");
    probe.setName("probe");
    probe.addActionListener(e -> controller.probe(readSettings().services()));
    bar.add(probe);
    for (String name : ServiceProbe.indicatorNames()) {
      JLabel l = new JLabel(name, new Dot(Color.LIGHT_GRAY), JLabel.LEFT);
      l.setName("indicator" + name);
      indicators.put(name, l);
      lights.add(l);
    }
    JPanel rows = new JPanel(new GridLayout(2, 1, 0, 0));
    rows.add(bar);
    rows.add(lights);
    return rows;
  }

  private JComponent formPanel() {
    JPanel p = new JPanel(new GridBagLayout());

    Form batch = new Form("Batch");
    batch.row("Images (1-100)", imageCount);
    batch.row("Parallel requests", concurrency);
    ButtonGroup g = new ButtonGroup();
    g.add(synthetic);
    g.add(folder);
    batch.wide(synthetic);
    batch.wide(folder);
    batch.row("Image folder", withButton(inputFolder, "...", () -> chooseFolder(inputFolder)));
    batch.row("Output folder", withButton(outputFolder, "...", () -> chooseFolder(outputFolder)));
    p.add(batch.panel, column(0));

    Form options = new Form("Options");
    JPanel size = new JPanel(new FlowLayout(FlowLayout.LEFT, 2, 0));
    size.add(targetWidth);
    size.add(new JLabel("x"));
    size.add(targetHeight);
    options.row("Target size", size);
    options.wide(keepAspect);
    options.wide(rotateLikeOriginal);
    filters.setVisibleRowCount(4);
    filters.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
    JScrollPane list = new JScrollPane(filters);
    list.setPreferredSize(new Dimension(120, 78));
    JPanel filterButtons = new JPanel(new GridLayout(0, 1, 2, 2));
    filterButtons.add(small("Add", this::addFilter));
    filterButtons.add(small("Remove", this::removeFilter));
    filterButtons.add(small("Up", () -> moveFilter(-1)));
    filterButtons.add(small("Down", () -> moveFilter(1)));
    JPanel filterBox = new JPanel(new BorderLayout(4, 2));
    filterBox.add(filterChoice, BorderLayout.NORTH);
    filterBox.add(list, BorderLayout.CENTER);
    filterBox.add(filterButtons, BorderLayout.EAST);
    options.row("Filters (in order)", filterBox);
    options.row("Filter intensity", intensity);
    options.wide(addWatermark);
    options.row("Watermark text", watermarkText);
    options.row("Position", position);
    options.row("Font size", fontSize);
    options.row("Colour", withButton(colour, "...", this::chooseColour));
    options.row("Opacity (0-1)", opacity);
    options.row("Output format", format);
    options.row("Quality (1-100)", quality);
    p.add(options.panel, column(1));

    JPanel buttons = new JPanel(new GridLayout(0, 2, 4, 4));
    buttons.setBorder(BorderFactory.createEmptyBorder(6, 4, 4, 4));
    start.setFont(start.getFont().deriveFont(Font.BOLD));
    for (JButton b : List.of(start, cancel, openOutput, clearOutput, exportCsv)) {
      b.setMargin(new Insets(3, 6, 3, 6));
    }
    buttons.add(start);
    buttons.add(cancel);
    buttons.add(openOutput);
    buttons.add(clearOutput);
    buttons.add(exportCsv);
    p.add(buttons, column(2));
    GridBagConstraints filler = column(3);
    filler.weighty = 1;
    p.add(Box.createVerticalGlue(), filler);

    formFields.addAll(List.of(address, otherPorts, imageCount, concurrency, synthetic, folder, inputFolder,
        outputFolder, targetWidth, targetHeight, keepAspect, rotateLikeOriginal, filters, filterChoice, intensity,
        addWatermark, watermarkText, position, fontSize, colour, opacity, format, quality));
    return p;
  }

  private static GridBagConstraints column(int row) {
    GridBagConstraints c = new GridBagConstraints();
    c.gridx = 0;
    c.gridy = row;
    c.fill = GridBagConstraints.HORIZONTAL;
    c.anchor = GridBagConstraints.NORTH;
    c.weightx = 1;
    return c;
  }

  private JComponent workArea() {
    JPanel top = new JPanel(new BorderLayout(4, 4));
    progress.setStringPainted(true);
    JPanel progressRow = new JPanel(new BorderLayout(4, 2));
    progressRow.add(progress, BorderLayout.CENTER);
    status.setBorder(BorderFactory.createEmptyBorder(0, 2, 0, 2));
    progressRow.add(status, BorderLayout.SOUTH);
    top.add(progressRow, BorderLayout.NORTH);
    JPanel pictures = new JPanel(new GridBagLayout());
    double[] weights = {0.22, 0.22, 0.3, 0.26};
    List<JComponent> tiles = List.of(before, after, stageChart, nodeChart);
    for (int i = 0; i < tiles.size(); i++) {
      JComponent c = tiles.get(i);
      c.setBorder(BorderFactory.createLineBorder(new Color(0xCCCCCC)));
      c.setPreferredSize(new Dimension(10, 240));
      GridBagConstraints k = new GridBagConstraints();
      k.gridx = i;
      k.fill = GridBagConstraints.BOTH;
      k.weightx = weights[i];
      k.weighty = 1;
      k.insets = new Insets(0, i == 0 ? 0 : 3, 0, 0);
      pictures.add(c, k);
    }
    pictures.setPreferredSize(new Dimension(900, 250));
    top.add(pictures, BorderLayout.CENTER);

    results.setAutoCreateRowSorter(true);
    results.setFillsViewportHeight(true);
    int[] widths = {30, 100, 60, 60, 80, 120, 60, 110, 60, 110, 80, 110, 60, 110, 200};
    for (int i = 0; i < widths.length; i++) {
      results.getColumnModel().getColumn(i).setPreferredWidth(widths[i]);
    }
    results.setAutoResizeMode(JTable.AUTO_RESIZE_OFF);
    JScrollPane table = new JScrollPane(results);
    table.setPreferredSize(new Dimension(600, 260));
    table.setBorder(BorderFactory.createTitledBorder("Results"));
    log.setEditable(false);
    log.setFont(new Font(Font.MONOSPACED, Font.PLAIN, 12));
    JScrollPane logPane = new JScrollPane(log);
    logPane.setPreferredSize(new Dimension(600, 260));
    logPane.setBorder(BorderFactory.createTitledBorder("Processing log"));
    JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, table, logPane);
    split.setResizeWeight(0.5);
    split.setBorder(null);

    JPanel area = new JPanel(new BorderLayout(4, 6));
    area.add(top, BorderLayout.NORTH);
    area.add(split, BorderLayout.CENTER);
    return area;
  }

  private JComponent withButton(JTextField field, String label, Runnable action) {
    JPanel p = new JPanel(new BorderLayout(2, 0));
    p.add(field, BorderLayout.CENTER);
    JButton b = small(label, action);
    b.setName(field.getName() + "Button");
    p.add(b, BorderLayout.EAST);
    return p;
  }

  private static JButton small(String label, Runnable action) {
    JButton b = new JButton(label);
    b.setMargin(new Insets(1, 4, 1, 4));
    b.addActionListener(e -> action.run());
    return b;
  }

  /** Two-column GridBag rows inside a titled box. */
  private static final class Form {
    final JPanel panel = new JPanel(new GridBagLayout());
    private int row;

    Form(String title) {
      panel.setBorder(BorderFactory.createTitledBorder(title));
      panel.setAlignmentX(Component.LEFT_ALIGNMENT);
    }

    void row(String label, JComponent c) {
      GridBagConstraints l = new GridBagConstraints();
      l.gridx = 0;
      l.gridy = row;
      l.anchor = GridBagConstraints.WEST;
      l.insets = new Insets(2, 4, 2, 6);
      panel.add(new JLabel(label), l);
      GridBagConstraints f = new GridBagConstraints();
      f.gridx = 1;
      f.gridy = row++;
      f.fill = GridBagConstraints.HORIZONTAL;
      f.weightx = 1;
      f.insets = new Insets(2, 0, 2, 4);
      panel.add(c, f);
    }

    void wide(JComponent c) {
      GridBagConstraints f = new GridBagConstraints();
      f.gridx = 0;
      f.gridy = row++;
      f.gridwidth = 2;
      f.anchor = GridBagConstraints.WEST;
      f.insets = new Insets(1, 2, 1, 4);
      panel.add(c, f);
    }
  }

  // Behaviour.

  private void wire() {
    start.addActionListener(e -> controller.start(readSettings()));
    cancel.addActionListener(e -> controller.cancel());
    openOutput.addActionListener(e -> controller.openOutput(outputPath()));
    clearOutput.addActionListener(e -> controller.clearOutput(outputPath()));
    exportCsv.addActionListener(e -> chooseCsv());
    synthetic.addActionListener(e -> enableForm());
    folder.addActionListener(e -> enableForm());
    rotateLikeOriginal.addActionListener(e -> enableForm());
    addWatermark.addActionListener(e -> enableForm());
    addWindowListener(new java.awt.event.WindowAdapter() {
      @Override
      public void windowClosed(java.awt.event.WindowEvent e) {
        controller.shutdown();
      }
    });
  }

  private Path outputPath() {
    Path p = pathOrNull(outputFolder.getText());
    return p == null ? Path.of("output") : p;
  }

  private void addFilter() {
    filterList.addElement(String.valueOf(filterChoice.getSelectedItem()));
  }

  private void removeFilter() {
    int i = filters.getSelectedIndex();
    if (i >= 0) {
      filterList.remove(i);
    } else if (!filterList.isEmpty()) {
      filterList.remove(filterList.size() - 1);
    }
  }

  private void moveFilter(int delta) {
    int i = filters.getSelectedIndex();
    int j = i + delta;
    if (i < 0 || j < 0 || j >= filterList.size()) {
      return;
    }
    String f = filterList.remove(i);
    filterList.add(j, f);
    filters.setSelectedIndex(j);
  }

  private void chooseFolder(JTextField field) {
    JFileChooser c = new JFileChooser(field.getText().isBlank() ? "." : field.getText());
    c.setFileSelectionMode(JFileChooser.DIRECTORIES_ONLY);
    if (c.showOpenDialog(this) == JFileChooser.APPROVE_OPTION) {
      field.setText(c.getSelectedFile().toString());
    }
  }

  private void chooseColour() {
    Color initial;
    try {
      initial = Color.decode(colour.getText().trim().length() == 7 ? colour.getText().trim() : "#FFFFFF");
    } catch (NumberFormatException e) {
      initial = Color.WHITE;
    }
    Color c = JColorChooser.showDialog(this, "Watermark colour", initial);
    if (c != null) {
      colour.setText(String.format(Locale.ROOT, "#%02X%02X%02X", c.getRed(), c.getGreen(), c.getBlue()));
    }
  }

  private void chooseCsv() {
    JFileChooser c = new JFileChooser(outputPath().toAbsolutePath().toFile());
    c.setSelectedFile(outputPath().resolve("results.csv").toAbsolutePath().toFile());
    if (c.showSaveDialog(this) == JFileChooser.APPROVE_OPTION) {
      controller.exportCsv(c.getSelectedFile().toPath());
    }
  }

  private void enableForm() {
    boolean idle = !model.running();
    for (JComponent c : formFields) {
      c.setEnabled(idle);
    }
    inputFolder.setEnabled(idle && folder.isSelected());
    boolean own = !rotateLikeOriginal.isSelected();
    filters.setEnabled(idle && own);
    filterChoice.setEnabled(idle && own);
    boolean wm = addWatermark.isSelected();
    watermarkText.setEnabled(idle && wm && own);
    for (JComponent c : List.of(position, fontSize, colour, opacity)) {
      c.setEnabled(idle && wm);
    }
    start.setEnabled(idle);
    cancel.setEnabled(!idle && !model.cancelRequested());
    clearOutput.setEnabled(idle);
  }

  private void show(PanelModel.Aspect aspect) {
    switch (aspect) {
      case STATE -> {
        progress.setMaximum(Math.max(1, model.total()));
        progress.setValue(model.done());
        progress.setString(model.done() + " / " + model.total());
        status.setText(model.status());
        enableForm();
      }
      case RESULTS -> {
        tableModel.setRows(model.results());
        stageChart.setResults(model.results());
        nodeChart.setDistribution(model.distribution());
      }
      case PREVIEW -> {
        before.setPreview(model.before());
        after.setPreview(model.after());
      }
      case PROBE -> model.probeStatus().forEach((name, s) -> {
        JLabel l = indicators.get(name);
        if (l != null) {
          l.setIcon(new Dot(colourOf(s.level())));
          l.setToolTipText(name + ": " + s.detail());
        }
      });
    }
  }

  static Color colourOf(ServiceProbe.Level level) {
    return switch (level) {
      case UP -> new Color(0x2EA043);
      case WARN -> new Color(0xE0A000);
      case DOWN -> new Color(0xD03030);
      case CHECKING -> new Color(0x7FA7E0);
      case UNKNOWN -> Color.LIGHT_GRAY;
    };
  }

  /** A filled circle, the indicator's light. */
  private record Dot(Color colour) implements Icon {
    @Override
    public void paintIcon(Component c, Graphics g, int x, int y) {
      java.awt.Graphics2D g2 = (java.awt.Graphics2D) g.create();
      g2.setRenderingHint(java.awt.RenderingHints.KEY_ANTIALIASING, java.awt.RenderingHints.VALUE_ANTIALIAS_ON);
      g2.setColor(colour);
      g2.fillOval(x, y, 12, 12);
      g2.setColor(colour.darker());
      g2.drawOval(x, y, 12, 12);
      g2.dispose();
    }

    @Override
    public int getIconWidth() {
      return 13;
    }

    @Override
    public int getIconHeight() {
      return 13;
    }
  }

  /** What the window shows. */
  public PanelModel panelModel() {
    return model;
  }

  /** Finds a named component of this window (for tests and tools). */
  public Component find(String name) {
    return find(getContentPane(), name);
  }

  private static Component find(Component c, String name) {
    if (name.equals(c.getName())) {
      return c;
    }
    if (c instanceof java.awt.Container k) {
      for (Component child : k.getComponents()) {
        Component f = find(child, name);
        if (f != null) {
          return f;
        }
      }
    }
    return null;
  }
}
