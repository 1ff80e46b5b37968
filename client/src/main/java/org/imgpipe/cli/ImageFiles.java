package org.imgpipe.cli;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Reading input images and naming output files. */
final class ImageFiles {

  private ImageFiles() {}

  /** The file's bytes, or a one-line error saying why it cannot be read. */
  static byte[] read(Path file) {
    try {
      if (Files.isDirectory(file)) {
        throw new CliException("cannot read " + file + ": it is a folder, not an image file");
      }
      return Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new CliException("cannot read " + file + ": no such file");
    } catch (AccessDeniedException e) {
      throw new CliException("cannot read " + file + ": permission denied");
    } catch (IOException e) {
      throw new CliException("cannot read " + file + ": " + e.getMessage());
    }
  }

  /** The extension matching an encoded image's signature: png, jpg, webp, gif, bmp (else "bin"). */
  static String extension(byte[] b) {
    if (b.length >= 8 && (b[0] & 0xff) == 0x89 && b[1] == 'P' && b[2] == 'N' && b[3] == 'G') {
      return "png";
    }
    if (b.length >= 3 && (b[0] & 0xff) == 0xFF && (b[1] & 0xff) == 0xD8) {
      return "jpg";
    }
    if (b.length >= 12 && b[0] == 'R' && b[1] == 'I' && b[2] == 'F' && b[3] == 'F' && b[8] == 'W' && b[9] == 'E') {
      return "webp";
    }
    if (b.length >= 4 && b[0] == 'G' && b[1] == 'I' && b[2] == 'F') {
      return "gif";
    }
    if (b.length >= 2 && b[0] == 'B' && b[1] == 'M') {
      return "bmp";
    }
    return "bin";
  }

  static String stem(Path file) {
    String n = file.getFileName().toString();
    int dot = n.lastIndexOf('.');
    return dot > 0 ? n.substring(0, dot) : n;
  }

  /** Writes an answer's image as {@code dir/stem_suffix.ext}, creating the folder; returns the path. */
  static Path write(Path dir, String stem, String suffix, byte[] image) {
    try {
      Files.createDirectories(dir);
      Path out = dir.resolve(stem + (suffix.isEmpty() ? "" : "_" + suffix) + "." + extension(image));
      Files.write(out, image);
      return out;
    } catch (IOException e) {
      throw new CliException("cannot write into " + dir + ": " + e.getMessage());
    }
  }
}
