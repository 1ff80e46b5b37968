package org.imgpipe.panel;

import java.util.List;
import javax.swing.table.AbstractTableModel;
import org.imgpipe.demo.ImageResult;

/** The results table: one row per finished image, from the {@link PanelModel}'s results. */
final class ResultsTableModel extends AbstractTableModel {

  private static final long serialVersionUID = 1L;

  static final String[] COLUMNS = {"#", "Image", "Result", "Total ms", "Round trip ms", "Size in → out",
      "Resize ms", "Resize node", "Filter ms", "Filter node", "Watermark ms", "Watermark node", "Format ms",
      "Format node", "Error"};

  private transient List<ImageResult> rows = List.of();

  void setRows(List<ImageResult> results) {
    rows = List.copyOf(results);
    fireTableDataChanged();
  }

  @Override
  public int getRowCount() {
    return rows.size();
  }

  @Override
  public int getColumnCount() {
    return COLUMNS.length;
  }

  @Override
  public String getColumnName(int column) {
    return COLUMNS[column];
  }

  @Override
  public Class<?> getColumnClass(int column) {
    return column == 0 ? Integer.class : String.class;
  }

  @Override
  public Object getValueAt(int row, int column) {
    ImageResult r = rows.get(row);
    return switch (column) {
      case 0 -> r.index();
      case 1 -> r.name();
      case 2 -> r.success() ? "OK" : "FAILED";
      case 3 -> ResultsCsv.millis(r.totalMillis());
      case 4 -> ResultsCsv.millis(r.roundTripMillis());
      case 5 -> r.success() ? kb(r.originalBytes()) + " → " + kb(r.processedBytes()) : "";
      case 6 -> ResultsCsv.millis(r.resizeMillis());
      case 7 -> ResultsCsv.nodes(r.hostMap(), "Resize");
      case 8 -> ResultsCsv.millis(r.filterMillis());
      case 9 -> ResultsCsv.nodes(r.hostMap(), "Filter");
      case 10 -> ResultsCsv.millis(r.watermarkMillis());
      case 11 -> ResultsCsv.nodes(r.hostMap(), "Watermark");
      case 12 -> ResultsCsv.millis(r.formatMillis());
      case 13 -> ResultsCsv.nodes(r.hostMap(), "Format");
      default -> r.success() ? "" : r.message();
    };
  }

  private static String kb(long bytes) {
    return bytes < 0 ? "?" : String.format(java.util.Locale.ROOT, "%.1f KB", bytes / 1024.0);
  }
}
