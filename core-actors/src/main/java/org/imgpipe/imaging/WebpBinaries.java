package org.imgpipe.imaging;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Locale;

/**
 * Where scrimage-webp finds its dwebp and cwebp executables. Left to itself, scrimage copies them from
 * its jar into java.io.tmpdir under new random names at every start ({@code /tmp/dwebp123...binary}) and
 * never removes them. Before the first WebP call imgpipe copies them once into a private directory of
 * its own (created owner-only, rwx------, under java.io.tmpdir), removed when the JVM exits, and points
 * scrimage at it with its {@value #PROPERTY} system property, which scrimage reads first. A directory
 * already configured there is left alone.
 */
final class WebpBinaries {

  /** scrimage-webp's setting for a directory holding its executables. */
  static final String PROPERTY = "com.sksamuel.scrimage.webp.binary.dir";

  private static final List<String> TOOLS = List.of("dwebp", "cwebp");

  private static volatile Path dir;

  private WebpBinaries() {}

  /** Installs the executables (once per JVM) and returns their directory, or null where scrimage's own lookup is used. */
  static synchronized Path install() {
    if (dir != null || System.getProperty(PROPERTY) != null) {
      return dir;
    }
    String platform = platform();
    if (platform == null || !FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
      return null; // scrimage's own lookup (Windows, or a platform it ships nothing for)
    }
    try {
      Path d = Files.createTempDirectory("imgpipe-webp-",
          PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(d), "imgpipe-webp-cleanup"));
      for (String tool : TOOLS) {
        String resource = "/dist_webp_binaries/libwebp-1.4.0-" + platform + "/bin/" + tool;
        try (InputStream in = com.sksamuel.scrimage.webp.DWebpHandler.class.getResourceAsStream(resource)) {
          if (in == null) {
            delete(d);
            return null;
          }
          Path target = d.resolve(tool);
          Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
          Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwx------"));
        }
      }
      System.setProperty(PROPERTY, d.toString());
      dir = d;
      return d;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot install the WebP tools", e);
    }
  }

  /** The directory the executables were installed in by this JVM, or null. */
  static Path directory() {
    return dir;
  }

  /** scrimage-webp 4.6.6's name for the platforms it ships executables for (same choice as its WebpHandler). */
  private static String platform() {
    String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
    String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
    boolean arm = arch.startsWith("arm") || arch.startsWith("aarch64");
    if (os.contains("linux")) {
      return arm ? "linux-aarch64" : "linux-x86-64";
    }
    if (os.contains("mac")) {
      return arm ? "mac-arm64" : "mac-x86-64";
    }
    return null;
  }

  private static void delete(Path d) {
    try {
      for (String tool : TOOLS) {
        Files.deleteIfExists(d.resolve(tool));
      }
      Files.deleteIfExists(d);
    } catch (IOException e) {
      // best effort at exit
    }
  }
}
