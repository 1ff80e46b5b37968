package org.imgpipe.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.testing.TestImages;
import org.imgpipe.xmlrpc.client.ImgpipeClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * What cluster TLS costs a process_image whose stages run on the other node: the same call on a TLS
 * pair and a plain-TCP pair of nodes, alternating, median of the rounds. Only with
 * {@code -Dimgpipe.measure=true}; writes target/tls-measurements.txt (docs/cluster-security.md).
 */
@EnabledIfSystemProperty(named = "imgpipe.measure", matches = "true")
class TlsCostMeasurementTest {

  private static final int WARM_UP = 3;
  private static final int ROUNDS = 11;

  private static ImgpipeNode start(String host, String roles, NodeOptions.Builder extra) {
    ImgpipeSettings.Ports ports = LocalPorts.freeServicePorts(host);
    NodeOptions.Builder b = extra.host(host).clusterPort(LocalPorts.free(host)).roles(List.of(roles.split(",")))
        .joinTimeout(Duration.ofSeconds(120));
    for (Role r : Role.values()) {
      b.port(r, ports.of(r));
    }
    return ImgpipeNode.start(b.build());
  }

  private static String seed(ImgpipeNode n) {
    return n.settings().node().host() + ":" + n.settings().node().clusterPort();
  }

  private static long callMillis(ImgpipeClient client, byte[] bmp) throws Exception {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("filters", new Object[] {"NEGATIVE"});
    options.put("output_format", "BMP");
    long t0 = System.nanoTime();
    Map<String, Object> r = client.processImage("cost.bmp", bmp, options);
    long ms = (System.nanoTime() - t0) / 1_000_000;
    assertEquals(Boolean.TRUE, r.get("success"), String.valueOf(r.get("message")));
    return ms;
  }

  private static long median(List<Long> xs) {
    List<Long> s = new ArrayList<>(xs);
    Collections.sort(s);
    return s.get(s.size() / 2);
  }

  @Test
  void processImageAcrossTwoNodesWithAndWithoutTls() throws Exception {
    Path certs = TestCerts.cluster();
    // BMP in and out: cheap to code, so the time is the transport. 1672x1672 RGB is 8 MB; the image
    // crosses four times (job to the filter slot, raster back, raster to the format slot, BMP back).
    byte[] bmp = TestImages.encode(TestImages.photoLike(1672, 1672, 3), ImageFormat.BMP, 0);
    ImgpipeNode tlsA = start("127.0.0.56", "orchestrator", TestCerts.tls(NodeOptions.builder(), certs, "a"));
    ImgpipeNode tlsB = start("127.0.0.57", "filter,format", TestCerts.tls(NodeOptions.builder(), certs, "b")
        .seedNodes(List.of(seed(tlsA))));
    ImgpipeNode plainA = start("127.0.0.58", "orchestrator", NodeOptions.builder());
    ImgpipeNode plainB = start("127.0.0.59", "filter,format", NodeOptions.builder().seedNodes(List.of(seed(plainA))));
    try {
      ImgpipeClient tls = new ImgpipeClient("127.0.0.56", tlsA.openPorts().get(Role.ORCHESTRATOR),
          Duration.ofSeconds(120));
      ImgpipeClient plain = new ImgpipeClient("127.0.0.58", plainA.openPorts().get(Role.ORCHESTRATOR),
          Duration.ofSeconds(120));
      for (int i = 0; i < WARM_UP; i++) {
        callMillis(tls, bmp);
        callMillis(plain, bmp);
      }
      List<Long> withTls = new ArrayList<>();
      List<Long> without = new ArrayList<>();
      for (int i = 0; i < ROUNDS; i++) {
        withTls.add(callMillis(tls, bmp));
        without.add(callMillis(plain, bmp));
      }
      String report = String.format("process_image, NEGATIVE + BMP, %d-byte BMP (1672x1672), stages on the other node,"
          + " median of %d alternating rounds after %d warm-ups:%n"
          + "  mutual TLS 1.3: %d ms  %s%n  plain TCP:      %d ms  %s%n",
          bmp.length, ROUNDS, WARM_UP, median(withTls), withTls, median(without), without);
      System.out.print(report);
      Files.createDirectories(Path.of("target"));
      Files.writeString(Path.of("target", "tls-measurements.txt"), report);
    } finally {
      for (ImgpipeNode n : List.of(tlsB, plainB, tlsA, plainA)) {
        n.close();
      }
    }
  }
}
