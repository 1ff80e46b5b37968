package org.imgpipe.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndpointAndOutputFolderTest {

  @TempDir Path dir;

  @Test
  void endpointsAcceptHostHostPortIpv6AndUrls() {
    assertEquals(new Endpoint("10.0.0.5", 50055), Endpoint.parse("10.0.0.5", 50055));
    assertEquals(new Endpoint("10.0.0.5", 6000), Endpoint.parse("10.0.0.5:6000", 50055));
    assertEquals(new Endpoint("::1", 50052), Endpoint.parse("[::1]:50052", 1));
    assertEquals(new Endpoint("host", 50056), Endpoint.parse("http://host:50056/RPC2", 1));
    assertEquals("[::1]:50052", new Endpoint("::1", 50052).toString());
    assertTrue(new Endpoint("localhost", 1).isLoopback());
    assertTrue(new Endpoint("127.0.0.9", 1).isLoopback());
    assertEquals("address 'h:x': 'x' is not a port (1-65535)",
        assertThrows(CliException.class, () -> Endpoint.parse("h:x", 1)).getMessage());
  }

  private Path fill(String name) throws IOException {
    Path p = dir.resolve(name);
    Files.createDirectories(p);
    Files.writeString(p.resolve("batch_001.png"), "old");
    return p;
  }

  @Test
  void aMissingOrEmptyFolderIsUsedAsIs() throws IOException {
    StringWriter out = new StringWriter();
    Path missing = dir.resolve("output");
    assertEquals(missing, OutputFolder.choose(missing, false, null, new PrintWriter(out)));
    Files.createDirectories(missing);
    assertEquals(missing, OutputFolder.choose(missing, false, null, new PrintWriter(out)));
    assertEquals("", out.toString());
  }

  @Test
  void aFullFolderIsLeftAloneWhenNotInteractiveAndTheBatchGoesBesideIt() throws IOException {
    Path full = fill("output");
    fill("output-2");
    StringWriter out = new StringWriter();
    Path chosen = OutputFolder.choose(full, false, null, new PrintWriter(out, true));
    assertEquals(dir.resolve("output-3"), chosen);
    assertEquals("old", Files.readString(full.resolve("batch_001.png")));
    assertTrue(out.toString().contains("writing to output-3/ beside it instead"), out.toString());
  }

  @Test
  void onATerminalItAsksAndEmptiesOnlyOnYes() throws IOException {
    Path full = fill("output");
    StringWriter out = new StringWriter();
    Path no = OutputFolder.choose(full, false, new BufferedReader(new StringReader("\n")), new PrintWriter(out, true));
    assertEquals(dir.resolve("output-2"), no);
    assertTrue(Files.exists(full.resolve("batch_001.png")));
    assertTrue(out.toString().contains("already holds 1 entries. Delete them first? [y/N]"), out.toString());

    Path yes = OutputFolder.choose(full, false, new BufferedReader(new StringReader("y\n")), new PrintWriter(out, true));
    assertEquals(full, yes);
    assertEquals(0, Files.list(full).count());
  }

  @Test
  void cleanEmptiesWithoutAsking() throws IOException {
    Path full = fill("output");
    Files.createDirectories(full.resolve("sub"));
    Files.writeString(full.resolve("sub/x"), "x");
    assertEquals(full, OutputFolder.choose(full, true, null, new PrintWriter(new StringWriter())));
    assertEquals(0, Files.list(full).count());
  }
}
