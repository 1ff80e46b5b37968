package org.imgpipe.demo;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Real images from a folder (demo --input, bench --input): every image file in it, by name, sent with
 * the synthetic batch's options (filters and watermark text still rotate by i mod 4).
 */
public final class DirectorySource implements BatchSource {

  private static final Set<String> EXTENSIONS = Set.of("png", "jpg", "jpeg", "webp", "gif", "bmp");

  private final Path dir;
  private final List<Path> files;
  private final int count;

  /**
   * @param limit at most this many images (≤ 0: all); fewer files than the limit are reused in turn
   *     when {@code cycle} is set (bench), otherwise the batch is just shorter
   */
  public DirectorySource(Path dir, int limit, boolean cycle) throws IOException {
    if (!Files.isDirectory(dir)) {
      throw new IOException("input folder " + dir + " does not exist or is not a folder");
    }
    List<Path> found = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
      for (Path p : ds) {
        if (Files.isRegularFile(p) && EXTENSIONS.contains(extension(p))) {
          found.add(p);
        }
      }
    }
    if (found.isEmpty()) {
      throw new IOException("input folder " + dir + " holds no images (" + String.join(", ", EXTENSIONS) + ")");
    }
    found.sort(null);
    this.dir = dir;
    this.files = List.copyOf(found);
    this.count = limit <= 0 ? files.size() : (cycle ? limit : Math.min(limit, files.size()));
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public BatchItem item(int index) throws IOException {
    Path file = files.get((index - 1) % files.size());
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new IOException("cannot read " + file + ": " + e.getMessage(), e);
    }
    String base = file.getFileName().toString();
    int dot = base.lastIndexOf('.');
    String stem = dot > 0 ? base.substring(0, dot) : base;
    String name = files.size() >= count ? stem + ".png" : String.format("%s_%03d.png", stem, index);
    return new BatchItem(index, name, bytes,
        SyntheticBatch.processOptions(SyntheticBatch.filters(index), SyntheticBatch.watermarkText(index)));
  }

  @Override
  public String describe() {
    return count + " images from " + dir;
  }

  private static String extension(Path p) {
    String n = p.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
  }
}
