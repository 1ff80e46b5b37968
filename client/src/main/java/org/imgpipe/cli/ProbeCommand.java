package org.imgpipe.cli;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import javax.imageio.ImageIO;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.demo.BusyRetry;
import org.imgpipe.node.ImgpipeNode;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code imgpipe probe HOST}: the successor of probe_connection.py. Calls each of the five services
 * with a small real image and GETs its /health, then prints a table of what answers.
 */
@Command(name = "probe", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Checks the five service ports of a node: calls each service with a 16x16 image and GETs its /health, then prints what answers. Exit code 0 when all five answer, else 1.",
    footer = {"", "Example:", "  imgpipe probe 192.168.1.11"})
final class ProbeCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "HOST", defaultValue = "127.0.0.1",
      description = "Node address (default ${DEFAULT-VALUE}); WORKER_IP in the environment also works.")
  String host;

  @Option(names = "--resize-port", paramLabel = "PORT") Integer resizePort;
  @Option(names = "--filter-port", paramLabel = "PORT") Integer filterPort;
  @Option(names = "--watermark-port", paramLabel = "PORT") Integer watermarkPort;
  @Option(names = "--orchestrator-port", paramLabel = "PORT") Integer orchestratorPort;
  @Option(names = "--format-port", paramLabel = "PORT") Integer formatPort;

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "10s",
      converter = org.imgpipe.node.NodeCommand.DurationConverter.class,
      description = "Per call (default ${DEFAULT-VALUE}).")
  Duration timeout;

  /** What one port said. */
  record Row(Role role, Endpoint endpoint, boolean answers, String rpc, long millis, String health) {}

  int port(Role r) {
    Integer p = switch (r) {
      case RESIZE -> resizePort;
      case FILTER -> filterPort;
      case WATERMARK -> watermarkPort;
      case ORCHESTRATOR -> orchestratorPort;
      case FORMAT -> formatPort;
    };
    return p != null ? p : Defaults.port(r);
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String target = host;
    if (!spec.commandLine().getParseResult().hasMatchedPositional(0) && System.getenv("WORKER_IP") != null) {
      target = System.getenv("WORKER_IP");
    }
    byte[] png = tinyPng();
    HttpClient http = HttpClient.newBuilder().connectTimeout(timeout).build();
    Map<Role, Row> rows = new LinkedHashMap<>();
    for (Role r : ImgpipeNode.SERVICE_ORDER) {
      Endpoint ep = new Endpoint(target, port(r));
      rows.put(r, probe(r, ep, png, http));
    }
    out.printf("Probing %s%n%n", target);
    out.printf("%-13s %-22s %-7s %8s  %-12s %s%n", "service", "address", "XML-RPC", "time", "/health", "answer");
    int answering = 0;
    for (Row row : rows.values()) {
      if (row.answers()) {
        answering++;
      }
      out.printf("%-13s %-22s %-7s %8s  %-12s %s%n", label(row.role()), row.endpoint(),
          row.answers() ? "yes" : "NO", row.answers() ? row.millis() + " ms" : "-", row.health(), row.rpc());
    }
    out.printf("%n%d of 5 services answer.%n", answering);
    out.flush();
    return answering == 5 ? 0 : 1;
  }

  private Row probe(Role role, Endpoint ep, byte[] png, HttpClient http) {
    Remote remote = new Remote(ep, timeout, BusyRetry.NONE);
    long t0 = System.nanoTime();
    boolean answers;
    String rpc;
    try {
      Map<String, Object> a = remote.call(c -> switch (role) {
        case RESIZE -> c.resizeImage(png, "probe", 8, 8, true);
        case FILTER -> c.applyFilter(png, "probe", "GRAYSCALE", 1.0);
        case WATERMARK -> c.addTextWatermark(png, "probe", "probe", "top-left", 10, "#FFFFFF", 0.5);
        case FORMAT -> c.convertFormat(png, "probe", "PNG", 90);
        case ORCHESTRATOR -> c.processImage("probe.png", png, Map.of("output_format", "PNG"));
      });
      answers = true;
      Object ok = a.get("success");
      rpc = (Boolean.TRUE.equals(ok) ? "ok: " : "answered with an error: ") + a.get("message");
    } catch (CliException e) {
      answers = false;
      rpc = e.getMessage();
    }
    long millis = (System.nanoTime() - t0) / 1_000_000;
    return new Row(role, ep, answers, rpc, millis, health(http, ep));
  }

  private String health(HttpClient http, Endpoint ep) {
    try {
      HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create("http://" + ep + "/health"))
          .timeout(timeout).GET().build(), HttpResponse.BodyHandlers.ofString());
      String body = r.body().strip().replaceAll("\\s+", " ");
      return r.statusCode() + (body.isEmpty() ? "" : " " + (body.length() > 12 ? body.substring(0, 12) : body));
    } catch (IOException e) {
      return "no answer";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  private static String label(Role r) {
    String n = r.configName();
    return Character.toUpperCase(n.charAt(0)) + n.substring(1) + " ";
  }

  static byte[] tinyPng() {
    BufferedImage img = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 16; y++) {
      for (int x = 0; x < 16; x++) {
        img.setRGB(x, y, (x * 16) << 16 | (y * 16) << 8 | 128);
      }
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try {
      ImageIO.write(img, "png", out);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }
}
