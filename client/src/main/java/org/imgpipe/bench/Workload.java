package org.imgpipe.bench;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.imgpipe.demo.BatchItem;
import org.imgpipe.demo.BatchSource;
import org.imgpipe.demo.SyntheticBatch;

/**
 * A named bench workload: the distinct images with their process_image options, made once up front so
 * the client's own work stays out of the figures, and sent in turn for as many requests as a run wants.
 *
 * @param name demo or photo
 * @param items the distinct requests (image + options), sent in turn; made on first use and kept
 */
public record Workload(String name, String description, List<BatchItem> items) {

  public static final List<String> NAMES = List.of("demo", "photo");
  /** Generated photos when the user gives no folder. */
  public static final int PHOTO_IMAGES = 8;
  /** Photos taken from a user's folder, at most. */
  public static final int MAX_FOLDER_IMAGES = 32;
  public static final int PHOTO_TARGET_WIDTH = 1280;
  public static final int PHOTO_TARGET_HEIGHT = 720;
  public static final List<String> PHOTO_FILTERS = List.of("BLUR", "SHARPEN", "CONTRAST");
  public static final String PHOTO_WATERMARK = "(c) imgpipe photo";
  public static final int PHOTO_QUALITY = 85;

  public Workload {
    if (items.isEmpty()) {
      throw new IllegalArgumentException("a workload needs at least one image");
    }
  }

  /** A list whose element i is made by {@code maker.apply(i + 1)} the first time it is read, then kept. */
  static List<BatchItem> lazy(int size, java.util.function.IntFunction<BatchItem> maker) {
    BatchItem[] made = new BatchItem[size];
    return new java.util.AbstractList<>() {
      @Override
      public synchronized BatchItem get(int i) {
        if (made[i] == null) {
          made[i] = maker.apply(i + 1);
        }
        return made[i];
      }

      @Override
      public int size() {
        return size;
      }
    };
  }

  /** The first {@code n} items (all when n ≥ size), made now. */
  public List<BatchItem> first(int n) {
    return List.copyOf(items.subList(0, Math.min(n, items.size())));
  }

  /**
   * The workload called {@code name}; {@code folder} (may be null) replaces photo's generated images
   * with the JPEGs in it.
   */
  public static Workload named(String name, Path folder) throws IOException {
    return switch (name == null ? "" : name.toLowerCase(Locale.ROOT)) {
      case "demo" -> demo();
      case "photo" -> folder == null ? photo(PHOTO_IMAGES) : photo(folder);
      default -> throw new IllegalArgumentException("unknown workload '" + name + "': use demo or photo");
    };
  }

  /** The original's batch: its 30 synthetic PNGs with their rotating filters and texts, 1280x720, PNG. */
  public static Workload demo() {
    SyntheticBatch batch = new SyntheticBatch(SyntheticBatch.DEFAULT_IMAGES);
    return new Workload("demo", "the original's 30 synthetic images and options", lazy(batch.size(), batch::item));
  }

  /** {@code count} generated 2560x1600 photo-like JPEGs with the photo options. */
  public static Workload photo(int count) {
    List<BatchItem> items = lazy(count,
        i -> new BatchItem(i, String.format("photo_%02d.jpg", i), PhotoImages.jpeg(i), photoOptions()));
    return new Workload("photo", count + " generated " + PhotoImages.WIDTH + "x" + PhotoImages.HEIGHT
        + " photo-like JPEGs", items);
  }

  /** The JPEG (and PNG) files of a folder, by name, at most {@value #MAX_FOLDER_IMAGES}, with the photo options. */
  public static Workload photo(Path folder) throws IOException {
    if (!Files.isDirectory(folder)) {
      throw new IOException("photo folder " + folder + " does not exist or is not a folder");
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder)) {
      for (Path p : ds) {
        String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
        if (Files.isRegularFile(p) && (n.endsWith(".jpg") || n.endsWith(".jpeg") || n.endsWith(".png"))) {
          files.add(p);
        }
      }
    }
    if (files.isEmpty()) {
      throw new IOException("photo folder " + folder + " holds no .jpg, .jpeg or .png files");
    }
    files.sort(null);
    List<BatchItem> items = new ArrayList<>();
    for (int i = 0; i < Math.min(files.size(), MAX_FOLDER_IMAGES); i++) {
      Path p = files.get(i);
      items.add(new BatchItem(i + 1, p.getFileName().toString(), Files.readAllBytes(p), photoOptions()));
    }
    return new Workload("photo", items.size() + " photographs from " + folder, items);
  }

  /** resize to fit 1280x720, BLUR, SHARPEN, CONTRAST, a text watermark, JPEG at 85. */
  public static Map<String, Object> photoOptions() {
    Map<String, Object> o = new LinkedHashMap<>();
    o.put("target_width", PHOTO_TARGET_WIDTH);
    o.put("target_height", PHOTO_TARGET_HEIGHT);
    o.put("filters", PHOTO_FILTERS);
    o.put("add_watermark", true);
    o.put("watermark_text", PHOTO_WATERMARK);
    o.put("watermark_position", "bottom-right");
    o.put("output_format", "JPEG");
    o.put("output_quality", PHOTO_QUALITY);
    return o;
  }

  /** Total bytes of the distinct images. */
  public long inputBytes() {
    long n = 0;
    for (BatchItem b : items) {
      n += b.image().length;
    }
    return n;
  }

  /** {@code count} requests over the distinct images in turn, each with its own file name. */
  public BatchSource requests(int count) {
    return new BatchSource() {
      @Override
      public int size() {
        return count;
      }

      @Override
      public BatchItem item(int index) {
        BatchItem b = items.get((index - 1) % items.size());
        return new BatchItem(index, String.format("bench_%05d_%s", index, b.name()), b.image(), b.options());
      }

      @Override
      public String describe() {
        return count + " requests of the " + name + " workload";
      }
    };
  }
}
