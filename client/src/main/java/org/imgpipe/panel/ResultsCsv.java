package org.imgpipe.panel;

import java.io.IOException;
import java.io.Writer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.imgpipe.demo.ImageResult;

/**
 * The results table as CSV (RFC 4180: comma separated, fields with a comma, quote or line break
 * quoted, quotes doubled), one header line then one row per image. Times not measured are empty.
 * Messages, names and addresses come from servers and files; a field that a spreadsheet would read as a
 * formula (starting with = + - @, a tab or a carriage return: OWASP's CSV-injection rule) is written
 * with a leading apostrophe, so it shows as text.
 */
public final class ResultsCsv {

  public static final List<String> HEADER = List.of("index", "image", "success", "message", "total_ms",
      "round_trip_ms", "original_bytes", "processed_bytes", "resize_ms", "resize_node", "filter_ms", "filter_nodes",
      "watermark_ms", "watermark_node", "format_ms", "format_node", "attempts", "output");

  private ResultsCsv() {}

  public static void write(List<ImageResult> rows, Writer out) throws IOException {
    out.write(line(HEADER));
    for (ImageResult r : rows) {
      out.write(line(row(r)));
    }
  }

  static List<String> row(ImageResult r) {
    List<String> f = new ArrayList<>();
    f.add(Integer.toString(r.index()));
    f.add(r.name());
    f.add(Boolean.toString(r.success()));
    f.add(r.message());
    f.add(millis(r.totalMillis()));
    f.add(millis(r.roundTripMillis()));
    f.add(millis(r.originalBytes()));
    f.add(millis(r.processedBytes()));
    f.add(millis(r.resizeMillis()));
    f.add(nodes(r.hostMap(), "Resize"));
    f.add(millis(r.filterMillis()));
    f.add(nodes(r.hostMap(), "Filter"));
    f.add(millis(r.watermarkMillis()));
    f.add(nodes(r.hostMap(), "Watermark"));
    f.add(millis(r.formatMillis()));
    f.add(nodes(r.hostMap(), "Format"));
    f.add(Integer.toString(r.attempts()));
    f.add(r.output() == null ? "" : r.output().toString());
    return f;
  }

  /** A non-negative number as text; -1 (not reported) as empty. */
  static String millis(long v) {
    return v < 0 ? "" : Long.toString(v);
  }

  /**
   * The node(s) that served a stage, from the answer's host_map: "Resize" → its address; "Filter" → the
   * distinct addresses of "Filter-1 (BLUR)", "Filter-2 (SHARPEN)", ..., space separated.
   */
  static String nodes(Map<String, String> hostMap, String stage) {
    Set<String> found = new LinkedHashSet<>();
    hostMap.forEach((k, v) -> {
      if (k.equals(stage) || k.startsWith(stage + "-")) {
        found.add(v);
      }
    });
    return String.join(" ", found);
  }

  static String line(List<String> fields) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < fields.size(); i++) {
      if (i > 0) {
        b.append(',');
      }
      b.append(quote(fields.get(i)));
    }
    return b.append("\r\n").toString();
  }

  static String quote(String s) {
    String v = neutralised(s == null ? "" : s);
    if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
      return v;
    }
    return '"' + v.replace("\"", "\"\"") + '"';
  }

  /** A field a spreadsheet would take for a formula, with an apostrophe in front (then it is text). */
  static String neutralised(String v) {
    if (v.isEmpty()) {
      return v;
    }
    char first = v.charAt(0);
    boolean formula = first == '=' || first == '+' || first == '-' || first == '@' || first == '\t' || first == '\r';
    return formula ? "'" + v : v;
  }
}
