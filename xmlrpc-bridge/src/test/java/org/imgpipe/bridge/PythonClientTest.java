package org.imgpipe.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.imgpipe.bridge.testing.LiveNode;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.junit.jupiter.api.Test;

/**
 * Python's standard xmlrpc.client, used the way the original system's clients used it, against a live node:
 * src/test/python/original_clients.py checks keys, key order, types and values of every method.
 */
class PythonClientTest {

  private static final Path SCRIPT = Path.of("src", "test", "python", "original_clients.py");

  @Test
  void theOriginalsPythonClientsWorkUnchanged() throws Exception {
    String python = python3();
    assertTrue(Files.isRegularFile(SCRIPT), "missing " + SCRIPT.toAbsolutePath());
    LiveNode node = LiveNode.shared();
    List<String> command = new ArrayList<>(List.of(python, SCRIPT.toString(), node.host()));
    for (Role role : List.of(Role.RESIZE, Role.FILTER, Role.WATERMARK, Role.ORCHESTRATOR, Role.FORMAT)) {
      command.add(String.valueOf(node.port(role)));
    }
    Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
    boolean done = p.waitFor(240, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    System.out.println(output);
    assertTrue(done, "the Python client did not finish within 240 s:\n" + output);
    assertEquals(0, p.exitValue(), "the Python client failed:\n" + output);
    assertTrue(output.contains("ALL ") && output.contains(" CHECKS PASSED"), output);
  }

  private static String python3() throws InterruptedException {
    try {
      Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
      if (p.waitFor(20, TimeUnit.SECONDS) && p.exitValue() == 0) {
        return "python3";
      }
    } catch (IOException e) {
      // not on the PATH
    }
    fail("python3 is not on the PATH: this test runs the original's Python clients with it "
        + "(.ci/run installs it; locally: apt-get install -y python3)");
    return null;
  }
}
