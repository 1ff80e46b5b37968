package org.imgpipe.imaging;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.TimeUnit;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * scrimage-webp runs dwebp and cwebp from imgpipe's private, owner-only directory, one per JVM, removed
 * when the JVM exits (scrimage alone copies them into /tmp under new names at every start and leaves
 * them there).
 */
class WebpBinariesTest {

  @Test
  void theWebpToolsRunFromAPrivateDirectory() throws Exception {
    Raster back = new ImageDecoder(ImagingLimits.DEFAULT)
        .decode(TestImages.encode(TestImages.photoLike(40, 30, 1), ImageFormat.WEBP, 80)).raster();
    assertEquals(40, back.width());
    Path dir = WebpBinaries.directory();
    assertNotNull(dir, "the tools were not installed by imgpipe");
    assertEquals(dir.toString(), System.getProperty(WebpBinaries.PROPERTY));
    assertEquals(Paths.get(System.getProperty("java.io.tmpdir")).toRealPath(), dir.getParent().toRealPath());
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir)));
    for (String tool : new String[] {"dwebp", "cwebp"}) {
      assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve(tool))));
    }
    // scrimage's handlers took the configured executables rather than extracting their own.
    for (Class<?> handler : new Class<?>[] {com.sksamuel.scrimage.webp.DWebpHandler.class,
        com.sksamuel.scrimage.webp.CWebpHandler.class}) {
      java.lang.reflect.Field binary = handler.getDeclaredField("binary");
      binary.setAccessible(true);
      assertEquals(dir, ((Path) binary.get(null)).getParent(), handler.getSimpleName());
    }
  }

  @Test
  void theDirectoryIsRemovedWhenTheJvmExits() throws Exception {
    String java = Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), Child.class.getName())
        .redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    String[] lines = out.split("\n");
    Path dir = Paths.get(lines[lines.length - 1].trim());
    assertTrue(dir.getFileName().toString().startsWith("imgpipe-webp-"), out);
    assertFalse(new File(dir.toString()).exists(), dir + " is still there");
  }

  /** Installs the tools, encodes and decodes a WebP, prints the directory and exits. */
  public static final class Child {
    public static void main(String[] args) throws Exception {
      Raster r = TestImages.photoLike(20, 10, 2);
      new ImageDecoder(ImagingLimits.DEFAULT).decode(TestImages.encode(r, ImageFormat.WEBP, 80));
      System.out.println(WebpBinaries.directory());
    }
  }
}
