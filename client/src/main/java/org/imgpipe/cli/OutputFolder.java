package org.imgpipe.cli;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Where a batch writes, without ever wiping a folder silently: an empty or missing folder is used as
 * is; a folder with files in it is emptied only when the user says so (asked when interactive, or
 * --clean), otherwise the batch writes beside it (output-2, output-3, ...).
 */
final class OutputFolder {

  private OutputFolder() {}

  /**
   * @param in the terminal to ask on, or null when not interactive
   */
  static Path choose(Path requested, boolean clean, BufferedReader in, PrintWriter out) throws IOException {
    Path dir = requested.toAbsolutePath().normalize();
    long entries = count(dir);
    if (entries == 0) {
      return dir;
    }
    if (clean) {
      empty(dir);
      out.println("Emptied " + requested + "/ (" + entries + " entries), as --clean asked.");
      return dir;
    }
    if (in != null) {
      out.print(requested + "/ already holds " + entries + " entries. Delete them first? [y/N] ");
      out.flush();
      String answer = in.readLine();
      if (answer != null && answer.trim().toLowerCase(java.util.Locale.ROOT).startsWith("y")) {
        empty(dir);
        out.println("Emptied " + requested + "/.");
        return dir;
      }
    }
    Path beside = beside(dir);
    out.println(requested + "/ is not empty; writing to " + beside.getFileName() + "/ beside it instead"
        + (in == null ? " (--clean empties " + requested + "/ first)" : "") + ".");
    return beside;
  }

  /** The first of dir-2, dir-3, ... that is missing or empty. */
  static Path beside(Path dir) throws IOException {
    for (int n = 2; n < 10_000; n++) {
      Path p = dir.resolveSibling(dir.getFileName() + "-" + n);
      if (count(p) == 0) {
        return p;
      }
    }
    throw new CliException("no free folder beside " + dir);
  }

  private static long count(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return 0;
    }
    if (!Files.isDirectory(dir)) {
      throw new CliException(dir + " exists and is not a folder");
    }
    try (Stream<Path> s = Files.list(dir)) {
      return s.count();
    }
  }

  private static void empty(Path dir) throws IOException {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir)) {
          Files.delete(p);
        }
      }
    }
  }
}
