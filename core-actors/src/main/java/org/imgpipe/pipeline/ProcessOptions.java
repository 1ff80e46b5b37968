package org.imgpipe.pipeline;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * The options struct of process_image: the original's keys with their defaults, plus the optional
 * extensions (filter_intensity, watermark_font_size, watermark_color, watermark_opacity,
 * maintain_aspect_ratio, timeout_ms). Extra keys are ignored, as in the original.
 */
public record ProcessOptions(
    int targetWidth,
    int targetHeight,
    List<String> filters,
    boolean addWatermark,
    String watermarkText,
    String watermarkPosition,
    String outputFormat,
    int outputQuality,
    double filterIntensity,
    int watermarkFontSize,
    String watermarkColor,
    double watermarkOpacity,
    boolean maintainAspectRatio,
    long timeoutMs) {

  /** The original fixes these for the pipeline; the extension keys override them. */
  public static final double DEFAULT_FILTER_INTENSITY = 1.0;
  public static final int DEFAULT_FONT_SIZE = 30;
  public static final String DEFAULT_COLOR = "#FFFFFF";
  public static final double DEFAULT_OPACITY = 0.8;
  public static final int DEFAULT_QUALITY = 90;

  public ProcessOptions {
    filters = List.copyOf(filters);
  }

  /** All defaults (an empty options struct). */
  public static ProcessOptions defaults() {
    return parse(Map.of());
  }

  /** Resize runs when either target is positive. */
  public boolean resizeEnabled() {
    return targetWidth > 0 || targetHeight > 0;
  }

  /** Quality sent to the format stage: 0 means 90, as in the original. */
  public int effectiveQuality() {
    return outputQuality == 0 ? DEFAULT_QUALITY : outputQuality;
  }

  /** 0 means: the configured request deadline. */
  public boolean hasTimeout() {
    return timeoutMs > 0;
  }

  /**
   * Reads an XML-RPC options struct. Throws IllegalArgumentException with a message naming the key
   * when a value has the wrong type or an impossible value.
   */
  public static ProcessOptions parse(Map<String, Object> options) {
    if (options == null) {
      options = Map.of();
    }
    int width = intOpt(options, "target_width", 0);
    int height = intOpt(options, "target_height", 0);
    List<String> filters = filtersOpt(options);
    boolean watermark = boolOpt(options, "add_watermark", false);
    String text = stringOpt(options, "watermark_text", "");
    String position = stringOpt(options, "watermark_position", "bottom-right");
    String format = stringOpt(options, "output_format", "PNG");
    int quality = intOpt(options, "output_quality", DEFAULT_QUALITY);
    double intensity = doubleOpt(options, "filter_intensity", DEFAULT_FILTER_INTENSITY);
    int fontSize = intOpt(options, "watermark_font_size", DEFAULT_FONT_SIZE);
    String color = stringOpt(options, "watermark_color", DEFAULT_COLOR);
    double opacity = doubleOpt(options, "watermark_opacity", DEFAULT_OPACITY);
    boolean aspect = boolOpt(options, "maintain_aspect_ratio", true);
    long timeout = intOpt(options, "timeout_ms", 0);
    if (timeout < 0) {
      throw new IllegalArgumentException("option 'timeout_ms' must be a positive number of milliseconds, got " + timeout);
    }
    if (Double.isNaN(intensity) || Double.isInfinite(intensity)) {
      throw new IllegalArgumentException("option 'filter_intensity' must be a finite number");
    }
    if (Double.isNaN(opacity) || Double.isInfinite(opacity)) {
      throw new IllegalArgumentException("option 'watermark_opacity' must be a finite number");
    }
    return new ProcessOptions(width, height, filters, watermark, text, position, format, quality,
        intensity, fontSize, color, opacity, aspect, timeout);
  }

  private static int intOpt(Map<String, Object> o, String key, int dflt) {
    Object v = o.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
      return ((Number) v).intValue();
    }
    if (v instanceof Long l && l >= Integer.MIN_VALUE && l <= Integer.MAX_VALUE) {
      return l.intValue();
    }
    throw wrongType(key, "an int", v);
  }

  private static double doubleOpt(Map<String, Object> o, String key, double dflt) {
    Object v = o.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Double || v instanceof Float || v instanceof Integer || v instanceof Long) {
      return ((Number) v).doubleValue();
    }
    throw wrongType(key, "a double", v);
  }

  private static boolean boolOpt(Map<String, Object> o, String key, boolean dflt) {
    Object v = o.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof Boolean b) {
      return b;
    }
    throw wrongType(key, "a boolean", v);
  }

  private static String stringOpt(Map<String, Object> o, String key, String dflt) {
    Object v = o.get(key);
    if (v == null) {
      return dflt;
    }
    if (v instanceof String s) {
      return s;
    }
    throw wrongType(key, "a string", v);
  }

  private static List<String> filtersOpt(Map<String, Object> o) {
    Object v = o.get("filters");
    if (v == null) {
      return List.of();
    }
    Collection<?> items;
    if (v instanceof Object[] array) {
      items = List.of(array);
    } else if (v instanceof Collection<?> c) {
      items = c;
    } else {
      throw wrongType("filters", "an array of strings", v);
    }
    List<String> names = new ArrayList<>(items.size());
    int i = 0;
    for (Object item : items) {
      if (!(item instanceof String s)) {
        throw new IllegalArgumentException(
            "option 'filters' must be an array of strings; item " + (i + 1) + " is " + typeName(item));
      }
      names.add(s);
      i++;
    }
    return names;
  }

  private static IllegalArgumentException wrongType(String key, String expected, Object v) {
    return new IllegalArgumentException("option '" + key + "' must be " + expected + ", got " + typeName(v));
  }

  private static String typeName(Object v) {
    if (v == null) {
      return "nil";
    }
    if (v instanceof String) {
      return "a string";
    }
    if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
      return "an int";
    }
    if (v instanceof Double || v instanceof Float) {
      return "a double";
    }
    if (v instanceof Boolean) {
      return "a boolean";
    }
    if (v instanceof Map) {
      return "a struct";
    }
    if (v instanceof Object[] || v instanceof Collection) {
      return "an array";
    }
    if (v instanceof byte[]) {
      return "base64 data";
    }
    return "a value of another type";
  }
}
