package org.imgpipe.panel;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.imgpipe.demo.SyntheticBatch;

/**
 * Everything the panel's form holds, as one immutable value: where the services are, which images to
 * send and the process_image options. {@link #problems()} lists what is wrong in words a user can act
 * on; the controller refuses to start while it is not empty.
 *
 * @param rotateLikeOriginal use the original batch's filters and watermark texts, which rotate with
 *     the image number (i mod 4), instead of {@link #filters} and {@link #watermarkText}
 */
public record PanelSettings(
    ServiceAddresses services,
    Duration callTimeout,
    int imageCount,
    SourceKind source,
    Path inputFolder,
    Path outputFolder,
    int concurrency,
    int targetWidth,
    int targetHeight,
    boolean keepAspect,
    boolean rotateLikeOriginal,
    List<String> filters,
    double filterIntensity,
    boolean addWatermark,
    String watermarkText,
    String watermarkPosition,
    int watermarkFontSize,
    String watermarkColor,
    double watermarkOpacity,
    String outputFormat,
    int outputQuality) {

  /** Synthetic pictures drawn like the original's, or the user's own image files. */
  public enum SourceKind { SYNTHETIC, FOLDER }

  public static final int MIN_IMAGES = 1;
  public static final int MAX_IMAGES = 100;
  public static final int MAX_CONCURRENCY = 16;

  /** The filter names the pipeline knows, in the order the panel offers them. */
  public static final List<String> FILTER_NAMES =
      List.of("GRAYSCALE", "BLUR", "SHARPEN", "EDGE_DETECT", "SEPIA", "NEGATIVE", "BRIGHTNESS", "CONTRAST");
  public static final List<String> POSITIONS =
      List.of("bottom-right", "bottom-left", "top-right", "top-left", "center");
  public static final List<String> FORMATS = List.of("PNG", "JPEG", "WEBP", "GIF", "BMP");

  private static final Set<String> CSS_COLOURS = Set.of("white", "black", "red", "green", "blue", "yellow",
      "cyan", "magenta", "gray", "grey", "orange", "purple", "pink", "brown", "navy", "silver", "gold");

  public PanelSettings {
    filters = List.copyOf(filters);
  }

  /** The original panel's batch: 30 synthetic images, 1280x720, rotating filters and texts, PNG 90. */
  public static PanelSettings defaults() {
    return new PanelSettings(ServiceAddresses.defaults(), Duration.ofSeconds(60), SyntheticBatch.DEFAULT_IMAGES,
        SourceKind.SYNTHETIC, null, Path.of("output"), 2, SyntheticBatch.TARGET_WIDTH, SyntheticBatch.TARGET_HEIGHT,
        true, true, List.of("BLUR", "SHARPEN"), 1.0, true, "imgpipe", SyntheticBatch.WATERMARK_POSITION, 30,
        "#FFFFFF", 0.8, SyntheticBatch.OUTPUT_FORMAT, SyntheticBatch.OUTPUT_QUALITY);
  }

  /** What stops a batch from starting, one sentence each; empty when the settings can be used. */
  public List<String> problems() {
    List<String> p = new ArrayList<>(services.problems());
    if (imageCount < MIN_IMAGES || imageCount > MAX_IMAGES) {
      p.add("The image count must be between " + MIN_IMAGES + " and " + MAX_IMAGES + ".");
    }
    if (source == SourceKind.FOLDER && (inputFolder == null || inputFolder.toString().isBlank())) {
      p.add("Choose the folder that holds your images.");
    }
    if (outputFolder == null || outputFolder.toString().isBlank()) {
      p.add("Choose an output folder.");
    }
    if (concurrency < 1 || concurrency > MAX_CONCURRENCY) {
      p.add("Parallel requests must be between 1 and " + MAX_CONCURRENCY + ".");
    }
    if (targetWidth < 0 || targetHeight < 0 || targetWidth > 10_000 || targetHeight > 10_000) {
      p.add("The target size must be between 0 and 10000 pixels (0 keeps that side as it is).");
    }
    if (!rotateLikeOriginal) {
      for (String f : filters) {
        if (!FILTER_NAMES.contains(f)) {
          p.add("Unknown filter " + f + "; choose from " + String.join(", ", FILTER_NAMES) + ".");
        }
      }
    }
    if (!(filterIntensity >= 0 && filterIntensity <= 5)) {
      p.add("The filter intensity must be between 0 and 5.");
    }
    if (addWatermark) {
      if (!rotateLikeOriginal && watermarkText.isBlank()) {
        p.add("Type a watermark text, or turn the watermark off.");
      }
      if (!POSITIONS.contains(watermarkPosition)) {
        p.add("Unknown watermark position " + watermarkPosition + ".");
      }
      if (watermarkFontSize < 6 || watermarkFontSize > 400) {
        p.add("The watermark font size must be between 6 and 400.");
      }
      if (!isColour(watermarkColor)) {
        p.add("The watermark colour must be #RGB, #RRGGBB, #RRGGBBAA or a colour name such as white.");
      }
      if (!(watermarkOpacity >= 0 && watermarkOpacity <= 1)) {
        p.add("The watermark opacity must be between 0 and 1.");
      }
    }
    if (!FORMATS.contains(outputFormat)) {
      p.add("Unknown output format " + outputFormat + ".");
    }
    if (outputQuality < 1 || outputQuality > 100) {
      p.add("The output quality must be between 1 and 100.");
    }
    return p;
  }

  static boolean isColour(String c) {
    if (c == null) {
      return false;
    }
    String s = c.trim().toLowerCase(Locale.ROOT);
    if (s.matches("#([0-9a-f]{3}|[0-9a-f]{6}|[0-9a-f]{8})")) {
      return true;
    }
    return CSS_COLOURS.contains(s);
  }

  /** Filters of image {@code index}: the original's rotation, or the panel's list. */
  public List<String> filtersFor(int index) {
    return rotateLikeOriginal ? SyntheticBatch.filters(index) : filters;
  }

  public String watermarkTextFor(int index) {
    return rotateLikeOriginal ? SyntheticBatch.watermarkText(index) : watermarkText;
  }

  /** The process_image options struct of image {@code index}: the original's keys, then the extensions. */
  public Map<String, Object> processOptions(int index) {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("target_width", targetWidth);
    o.put("target_height", targetHeight);
    o.put("filters", List.copyOf(filtersFor(index)));
    o.put("add_watermark", addWatermark);
    o.put("watermark_text", addWatermark ? watermarkTextFor(index) : "");
    o.put("watermark_position", watermarkPosition);
    o.put("output_format", outputFormat);
    o.put("output_quality", outputQuality);
    o.put("filter_intensity", filterIntensity);
    o.put("watermark_font_size", watermarkFontSize);
    o.put("watermark_color", watermarkColor.trim());
    o.put("watermark_opacity", watermarkOpacity);
    o.put("maintain_aspect_ratio", keepAspect);
    return o;
  }

  /** File extension of the output format: batch_001.jpg for JPEG. */
  public String outputExtension() {
    return switch (outputFormat) {
      case "JPEG" -> "jpg";
      default -> outputFormat.toLowerCase(Locale.ROOT);
    };
  }
}
