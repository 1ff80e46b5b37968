package org.imgpipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import org.imgpipe.node.LocalPorts;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** With nothing answering on a loopback orchestrator address, the demo brings its own node and stops it. */
class DemoEmbeddedNodeTest {

  @TempDir Path dir;

  @Test
  void theDemoStartsAnEmbeddedNodeRunsTheBatchAndStopsTheNode() throws Exception {
    String host = "127.0.0.44";
    int port = LocalPorts.free(host);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = ImgpipeCli.commandLine();
    cl.setOut(new PrintWriter(out, true));
    cl.setErr(new PrintWriter(err, true));
    Path output = dir.resolve("output");
    int code = cl.execute("demo", "--images", "2", "--orchestrator", host + ":" + port, "--output", output.toString());
    String text = out.toString();
    assertEquals(0, code, text + err);
    assertTrue(text.contains("Nothing answers on " + host + ":" + port
        + ": starting an embedded all-roles node for this run"), text);
    assertTrue(text.contains("Successful:        2"), text);
    assertTrue(text.contains("Stopping the embedded node"), text);
    assertTrue(Files.size(output.resolve("batch_002.png")) > 1000);
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress(host, port)); // the embedded node let its port go
    }
  }

  @Test
  void withNoEmbeddedNodeAllowedTheDemoFailsWithAClearLine() {
    String host = "127.0.0.44";
    int port = LocalPorts.free(host);
    StringWriter err = new StringWriter();
    picocli.CommandLine cl = ImgpipeCli.commandLine();
    cl.setOut(new PrintWriter(new StringWriter(), true));
    cl.setErr(new PrintWriter(err, true));
    int code = cl.execute("demo", "--no-embedded", "--orchestrator", host + ":" + port, "--output",
        dir.resolve("o").toString());
    assertEquals(1, code);
    assertTrue(err.toString().startsWith("imgpipe demo: nothing answers on " + host + ":" + port
        + " (connection refused)"), err.toString());
  }
}
