package org.imgpipe.bridge;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import org.imgpipe.bridge.testing.LiveNode;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.imaging.DecodedImage;
import org.imgpipe.imaging.ImageDecoder;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.Raster;
import org.imgpipe.testing.TestImages;
import org.imgpipe.xmlrpc.XmlRpcCodec;
import org.imgpipe.xmlrpc.client.ImgpipeClient;
import org.imgpipe.xmlrpc.client.XmlRpcFault;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every method of every port, over real HTTP, against a live in-process node. */
class BridgeIntegrationTest {

  private static LiveNode node;
  private static ImgpipeClient resize;
  private static ImgpipeClient filter;
  private static ImgpipeClient watermark;
  private static ImgpipeClient format;
  private static ImgpipeClient orchestrator;
  private static byte[] photo1920;
  private static final XmlRpcCodec codec = new XmlRpcCodec(XmlRpcCodec.Limits.clientDefaults());
  private static final HttpClient http = HttpClient.newHttpClient();
  private static final ImageDecoder decoder = new ImageDecoder(ImagingLimits.DEFAULT);

  @BeforeAll
  static void start() {
    node = LiveNode.shared();
    resize = node.client(Role.RESIZE);
    filter = node.client(Role.FILTER);
    watermark = node.client(Role.WATERMARK);
    format = node.client(Role.FORMAT);
    orchestrator = node.client(Role.ORCHESTRATOR);
    // flat colour: the sizes are what matter here, and a small PNG keeps the suite fast on a busy machine
    photo1920 = TestImages.png(TestImages.solid(1920, 1080, 90, 120, 200));
  }

  private static DecodedImage decode(Object bytes) throws Exception {
    return decoder.decode((byte[]) bytes);
  }

  /** The answer's XML as sent (gunzipped if needed), for checks of key order and value types. */
  private static String raw(Role role, String path, String method, Object... params) throws Exception {
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(node.url(role) + path))
        .header("Content-Type", "text/xml").header("Accept-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(codec.requestBytes(method, Arrays.asList(params)))).build(),
        HttpResponse.BodyHandlers.ofByteArray());
    assertEquals(200, r.statusCode());
    byte[] body = r.body();
    if (r.headers().firstValue("Content-Encoding").orElse("").equals("gzip")) {
      body = new GZIPInputStream(new ByteArrayInputStream(body)).readAllBytes();
    }
    return new String(body, StandardCharsets.UTF_8);
  }

  private static List<String> memberNames(String xml) {
    List<String> names = new ArrayList<>();
    Matcher m = Pattern.compile("<name>([^<]*)</name>").matcher(xml);
    while (m.find()) {
      names.add(m.group(1));
    }
    return names;
  }

  private static String memberXml(String xml, String name) {
    Matcher m = Pattern.compile("<name>" + Pattern.quote(name) + "</name><value>(<[a-z0-9]+>)").matcher(xml);
    assertTrue(m.find(), name + " in " + xml.substring(0, Math.min(400, xml.length())));
    return m.group(1);
  }

  // --- Resize (50052)

  @Test
  void resizeImageKeepsAspectRatioAndFormat() throws Exception {
    Map<String, Object> r = resize.resizeImage(photo1920, "test_001", 800, 600, true);
    assertEquals(Boolean.TRUE, r.get("success"));
    assertEquals("Resized from 1920x1080 to 800x450", r.get("message"));
    assertEquals(800, r.get("new_width"));
    assertEquals(450, r.get("new_height"));
    assertTrue(r.get("processing_time_ms") instanceof Integer);
    DecodedImage out = decode(r.get("resized_image"));
    assertEquals(ImageFormat.PNG, out.format());
    assertEquals(800, out.raster().width());
    assertEquals(450, out.raster().height());

    byte[] jpeg = TestImages.jpeg(TestImages.photoLike(400, 200, 3), 90);
    Map<String, Object> j = resize.resizeImage(jpeg, "j", 0, 100, true);
    assertEquals("Resized from 400x200 to 200x100", j.get("message"));
    assertEquals(ImageFormat.JPEG, decode(j.get("resized_image")).format());

    Map<String, Object> keep = resize.resizeImage(photo1920, "k", 800, 0, false);
    assertEquals("Resized from 1920x1080 to 800x1080", keep.get("message"));
  }

  @Test
  void resizeAnswersTheOriginalsKeysInOrder() throws Exception {
    String ok = raw(Role.RESIZE, "/RPC2", "resize_image", photo1920, "x", 320, 240, true);
    assertEquals(List.of("success", "message", "resized_image", "new_width", "new_height", "processing_time_ms"),
        memberNames(ok));
    assertEquals("<boolean>", memberXml(ok, "success"));
    assertEquals("<base64>", memberXml(ok, "resized_image"));
    assertEquals("<int>", memberXml(ok, "new_width"));
    assertEquals("<int>", memberXml(ok, "processing_time_ms"));
    String failed = raw(Role.RESIZE, "/", "resize_image", photo1920, "x", 0, 0, true);
    assertEquals(List.of("success", "message", "resized_image", "processing_time_ms"), memberNames(failed));
  }

  @Test
  void resizeFailuresAreStructsWithTheOriginalsPrefix() throws Exception {
    Map<String, Object> zero = resize.resizeImage(photo1920, "z", 0, 0, true);
    assertEquals(Boolean.FALSE, zero.get("success"));
    assertTrue(zero.get("message").toString().startsWith("Resize failed: "), zero.get("message").toString());
    assertFalse(zero.get("message").toString().startsWith("Resize failed: Resize failed"));
    assertEquals(0, ((byte[]) zero.get("resized_image")).length);
    assertFalse(zero.containsKey("new_width"));

    Map<String, Object> probe = resize.resizeImage("test".getBytes(StandardCharsets.US_ASCII), "probe", 100, 100, true);
    assertEquals(Boolean.FALSE, probe.get("success"));
    String m = probe.get("message").toString();
    assertTrue(m.startsWith("Resize failed: "), m);
    assertFalse(m.contains("0x") || m.contains("Exception") || m.contains("java."), m);
  }

  @Test
  void thumbnailNeverUpscalesAndAnswersErrorOnBadInput() throws Exception {
    Map<String, Object> t = resize.getThumbnail(photo1920, "test_001", 256);
    assertEquals(256, t.get("width"));
    assertEquals(144, t.get("height"));
    assertEquals("PNG", t.get("format"));
    DecodedImage img = decode(t.get("data"));
    assertEquals(ImageFormat.PNG, img.format());
    assertEquals(256, img.raster().width());
    Map<String, Object> big = resize.getThumbnail(photo1920, "t", 4000);
    assertEquals(1920, big.get("width"));
    assertEquals(1080, big.get("height"));
    Map<String, Object> bad = resize.getThumbnail(new byte[] {1, 2, 3}, "t", 100);
    assertEquals(List.of("data", "width", "height", "format"), new ArrayList<>(memberNames(
        raw(Role.RESIZE, "/", "get_thumbnail", new byte[] {1, 2, 3}, "t", 100))));
    assertEquals("ERROR", bad.get("format"));
    assertEquals(0, bad.get("width"));
    assertEquals(0, ((byte[]) bad.get("data")).length);
  }

  // --- Filter (50053)

  @Test
  void applyFilterComputesTheOriginalsNumbers() throws Exception {
    byte[] solid = TestImages.png(TestImages.solid(40, 30, 200, 100, 50));
    Map<String, Object> g = filter.applyFilter(solid, "f", "GRAYSCALE", 1.0);
    assertEquals(Boolean.TRUE, g.get("success"));
    assertEquals("Applied GRAYSCALE filter", g.get("message"));
    DecodedImage out = decode(g.get("filtered_image"));
    assertEquals(ImageFormat.PNG, out.format());
    assertEquals("(124,124,124)", TestImages.rgb(out.raster().pixel(10, 10)));

    Map<String, Object> neg = filter.applyFilter(solid, "f", "negative", 1);
    assertEquals("Applied negative filter", neg.get("message"));
    assertEquals("(55,155,205)", TestImages.rgb(decode(neg.get("filtered_image")).raster().pixel(5, 5)));

    String xml = raw(Role.FILTER, "/", "apply_filter", solid, "f", "SEPIA", 0.5);
    assertEquals(List.of("success", "message", "filtered_image", "processing_time_ms"), memberNames(xml));
  }

  @Test
  void unknownFilterIsAnErrorNotASilentPassThrough() throws Exception {
    Map<String, Object> r = filter.applyFilter(TestImages.png(TestImages.solid(8, 8, 1, 2, 3)), "f", "FOO", 1.0);
    assertEquals(Boolean.FALSE, r.get("success"));
    String m = r.get("message").toString();
    assertTrue(m.startsWith("Filter failed: "), m);
    assertTrue(m.contains("FOO") && m.contains("GRAYSCALE"), m);
    assertEquals(0, ((byte[]) r.get("filtered_image")).length);
  }

  @Test
  void batchFilterAppliesEachAtPointEight() throws Exception {
    byte[] solid = TestImages.png(TestImages.solid(20, 20, 100, 50, 25));
    Map<String, Object> r = filter.batchFilter(solid, "b", List.of("BRIGHTNESS"));
    assertEquals(Boolean.TRUE, r.get("success"));
    assertEquals("Applied 1 filters", r.get("message"));
    assertTrue(r.get("total_processing_time_ms") instanceof Integer);
    assertFalse(r.containsKey("processing_time_ms"));
    assertEquals("(160,80,40)", TestImages.rgb(decode(r.get("filtered_image")).raster().pixel(3, 3)));

    Map<String, Object> none = filter.batchFilter(solid, "b", List.of());
    assertEquals("Applied 0 filters", none.get("message"));
    assertEquals("(100,50,25)", TestImages.rgb(decode(none.get("filtered_image")).raster().pixel(3, 3)));

    Map<String, Object> bad = filter.batchFilter(solid, "b", List.of("BLUR", "NOPE"));
    assertEquals(Boolean.FALSE, bad.get("success"));
    assertTrue(bad.get("message").toString().startsWith("Batch filter failed: "), bad.get("message").toString());
    assertEquals(List.of("success", "message", "filtered_image", "total_processing_time_ms"),
        memberNames(raw(Role.FILTER, "/", "batch_filter", solid, "b", new Object[] {"SEPIA"})));

    XmlRpcFault f = assertThrows(XmlRpcFault.class, () -> filter.call("batch_filter", solid, "b", new Object[] {1}));
    assertTrue(f.faultString().contains("array of strings"), f.faultString());
  }

  @Test
  void aStringIntensityIsAFault() {
    XmlRpcFault f = assertThrows(XmlRpcFault.class, () -> filter.call("apply_filter", new byte[1], "f", "BLUR", "high"));
    assertEquals("<class 'TypeError'>:apply_filter() argument 4 (intensity) must be double, not string", f.faultString());
  }

  // --- Watermark (50054)

  @Test
  void textWatermarkLandsBottomRight() throws Exception {
    byte[] black = TestImages.png(TestImages.solid(1280, 720, 0, 0, 0));
    Map<String, Object> r = watermark.addTextWatermark(black, "w", "XML-RPC Demo", "bottom-right", 30, "#FFFFFF", 0.8);
    assertEquals(Boolean.TRUE, r.get("success"));
    assertEquals("Text watermark added", r.get("message"));
    Raster out = decode(r.get("watermarked_image")).raster();
    assertFalse(out.hasAlpha());
    int bright = 0;
    int elsewhere = 0;
    for (int y = 0; y < 720; y++) {
      for (int x = 0; x < 1280; x++) {
        boolean lit = (out.pixel(x, y) & 0xff) > 60;
        if (x > 900 && y > 600) {
          bright += lit ? 1 : 0;
        } else {
          elsewhere += lit ? 1 : 0;
        }
      }
    }
    assertTrue(bright > 100, "lit pixels bottom-right: " + bright);
    assertEquals(0, elsewhere);
    assertEquals(List.of("success", "message", "watermarked_image", "processing_time_ms"),
        memberNames(raw(Role.WATERMARK, "/", "add_text_watermark", black, "w", "", "center", 12, "red", 1.0)));
  }

  @Test
  void watermarkErrorsAreStructs() throws Exception {
    byte[] img = TestImages.png(TestImages.solid(100, 100, 0, 0, 0));
    Map<String, Object> pos = watermark.addTextWatermark(img, "w", "x", "middle", 20, "#FFF", 1.0);
    assertEquals(Boolean.FALSE, pos.get("success"));
    assertTrue(pos.get("message").toString().startsWith("Watermark failed: "), pos.get("message").toString());
    Map<String, Object> color = watermark.addTextWatermark(img, "w", "x", "top-left", 20, "not-a-colour", 1.0);
    assertEquals(Boolean.FALSE, color.get("success"));
    String tooLong = "y".repeat(node.settings().limits().maxWatermarkTextChars() + 1);
    Map<String, Object> longText = watermark.addTextWatermark(img, "w", tooLong, "top-left", 20, "#FFF", 1.0);
    assertEquals(Boolean.FALSE, longText.get("success"));
  }

  @Test
  void logoWatermarkIsPastedAtItsPosition() throws Exception {
    byte[] img = TestImages.png(TestImages.solid(400, 200, 0, 0, 0));
    byte[] logo = TestImages.png(TestImages.solid(100, 50, 255, 255, 255));
    Map<String, Object> r = watermark.addLogoWatermark(img, "l", logo, "top-left", 0.25, 1.0);
    assertEquals(Boolean.TRUE, r.get("success"));
    assertEquals("Logo watermark added", r.get("message"));
    Raster out = decode(r.get("watermarked_image")).raster();
    assertEquals("(255,255,255)", TestImages.rgb(out.pixel(30, 30)));
    assertEquals("(0,0,0)", TestImages.rgb(out.pixel(300, 150)));
    Map<String, Object> zero = watermark.addLogoWatermark(img, "l", logo, "top-left", 0.0, 1.0);
    assertEquals(Boolean.FALSE, zero.get("success"));
    assertTrue(zero.get("message").toString().startsWith("Logo watermark failed: "), zero.get("message").toString());
  }

  // --- Format (50056)

  @Test
  void convertFormatEncodesAndRefusesUnknownNames() throws Exception {
    byte[] png = TestImages.png(TestImages.photoLikeWithAlpha(64, 48, 5));
    Map<String, Object> j = format.convertFormat(png, "c", "JPEG", 80);
    assertEquals(Boolean.TRUE, j.get("success"));
    assertEquals("Format conversion successful", j.get("message"));
    assertEquals(ImageFormat.JPEG, decode(j.get("formatted_image")).format());
    assertEquals(ImageFormat.WEBP, decode(format.convertFormat(png, "c", "webp", 0).get("formatted_image")).format());
    Map<String, Object> keep = format.convertFormat(png, "c", "PNG", 90);
    assertTrue(decode(keep.get("formatted_image")).raster().hasAlpha());

    Map<String, Object> bad = format.convertFormat(png, "c", "TIFF", 90);
    assertEquals(Boolean.FALSE, bad.get("success"));
    assertTrue(bad.get("message").toString().startsWith("Format failed: "), bad.get("message").toString());
    assertEquals(List.of("success", "message", "formatted_image", "processing_time_ms"),
        memberNames(raw(Role.FORMAT, "/", "convert_format", png, "c", "TIFF", 90)));
  }

  // --- Orchestrator (50055)

  @Test
  void processImageRunsTheWholePipeline() throws Exception {
    Map<String, Object> options = new LinkedHashMap<>();
    options.put("target_width", 1280);
    options.put("target_height", 720);
    options.put("filters", new Object[] {"BLUR", "SHARPEN"});
    options.put("add_watermark", true);
    options.put("watermark_text", "Image #1");
    options.put("watermark_position", "bottom-right");
    options.put("output_format", "PNG");
    options.put("output_quality", 90);
    String xml = raw(Role.ORCHESTRATOR, "/RPC2", "process_image", "output/batch_001.png", photo1920, options);
    assertEquals(List.of("success", "message", "process_id", "processed_image", "stats",
        "original_size_bytes", "resize_time_ms", "filter_time_ms", "watermark_time_ms", "format_time_ms", "host_map",
        "Resize", "Filter-1 (BLUR)", "Filter-2 (SHARPEN)", "Watermark", "Format", "Orchestrator",
        "total_time_ms", "processed_size_bytes"), memberNames(xml));

    Map<String, Object> r = orchestrator.processImage("output/batch_001.png", photo1920, options);
    assertEquals(Boolean.TRUE, r.get("success"), String.valueOf(r.get("message")));
    assertEquals("Processing completed successfully", r.get("message"));
    String id = (String) r.get("process_id");
    assertTrue(id.matches("[0-9a-f-]{36}"), id);
    DecodedImage out = decode(r.get("processed_image"));
    assertEquals(1280, out.raster().width());
    assertEquals(720, out.raster().height());
    Map<?, ?> stats = (Map<?, ?>) r.get("stats");
    assertEquals(photo1920.length, stats.get("original_size_bytes"));
    assertEquals(((byte[]) r.get("processed_image")).length, stats.get("processed_size_bytes"));

    Map<String, Object> status = orchestrator.getProcessingStatus(id);
    assertEquals(id, status.get("process_id"));
    assertEquals("completed", status.get("status"));
    assertEquals(100, status.get("progress_percent"));
  }

  @Test
  void processImageWithEmptyOptionsStillFormats() throws Exception {
    byte[] small = TestImages.png(TestImages.solid(100, 100, 255, 0, 0));
    Map<String, Object> r = orchestrator.processImage("debug.png", small, Map.of());
    assertEquals(Boolean.TRUE, r.get("success"), String.valueOf(r.get("message")));
    Map<?, ?> hostMap = (Map<?, ?>) ((Map<?, ?>) r.get("stats")).get("host_map");
    assertTrue(hostMap.containsKey("Format") && hostMap.containsKey("Orchestrator"), hostMap.toString());
    assertFalse(hostMap.containsKey("Resize"));
  }

  @Test
  void processImageFailuresAreStructs() throws Exception {
    Map<String, Object> bad = orchestrator.processImage("x.png", new byte[] {1, 2}, Map.of("output_format", "PNG"));
    assertEquals(Boolean.FALSE, bad.get("success"));
    assertEquals(0, ((byte[]) bad.get("processed_image")).length);
    assertTrue(bad.get("process_id") instanceof String);

    Map<String, Object> options = Map.of("target_width", "800");
    Map<String, Object> typed = orchestrator.processImage("x.png", photo1920, options);
    assertEquals(Boolean.FALSE, typed.get("success"));
    assertTrue(typed.get("message").toString().contains("target_width"), typed.get("message").toString());

    XmlRpcFault f = assertThrows(XmlRpcFault.class, () -> orchestrator.call("process_image", "x", "not-bytes", Map.of()));
    assertTrue(f.faultString().contains("argument 2 (image_data) must be base64"), f.faultString());
  }

  @Test
  void statusOfUnknownIdsEchoesTheId() throws Exception {
    Map<String, Object> s = orchestrator.getProcessingStatus("no-such-job");
    assertEquals("no-such-job", s.get("process_id"));
    assertEquals("unknown", s.get("status"));
    assertEquals(List.of("process_id", "status", "progress_percent", "current_stage", "stats"),
        memberNames(raw(Role.ORCHESTRATOR, "/", "get_processing_status", "x")));
    Map<?, ?> n = (Map<?, ?>) orchestrator.call("get_processing_status", 42);
    assertEquals(42, n.get("process_id"));
  }

  // --- Protocol, on every port

  @Test
  void arityAndTypeErrorsAreFaults() {
    XmlRpcFault arity = assertThrows(XmlRpcFault.class, () -> resize.call("resize_image", new byte[1], "id", 1, 2));
    assertEquals(1, arity.faultCode());
    assertEquals("<class 'TypeError'>:resize_image() takes 5 arguments (image_data, image_id, target_width, "
        + "target_height, maintain_aspect_ratio) but 4 were given", arity.faultString());
    XmlRpcFault type = assertThrows(XmlRpcFault.class, () -> resize.call("resize_image", new byte[1], "id", "800", 2, true));
    assertEquals("<class 'TypeError'>:resize_image() argument 3 (target_width) must be int, not string",
        type.faultString());
    XmlRpcFault dbl = assertThrows(XmlRpcFault.class, () -> resize.call("get_thumbnail", new byte[1], "id", 25.5));
    assertTrue(dbl.faultString().contains("must be int, not double"), dbl.faultString());
  }

  @Test
  void everyPortServesOnlyItsMethodsPlusIntrospection() throws Exception {
    assertEquals(List.of("get_thumbnail", "resize_image", "system.listMethods", "system.methodHelp",
        "system.methodSignature", "system.multicall"), resize.listMethods());
    assertEquals(List.of("apply_filter", "batch_filter"), filter.listMethods().subList(0, 2));
    assertEquals(List.of("add_logo_watermark", "add_text_watermark"), watermark.listMethods().subList(0, 2));
    assertEquals(List.of("convert_format"), format.listMethods().subList(0, 1));
    assertEquals(List.of("get_processing_status", "process_image"), orchestrator.listMethods().subList(0, 2));
    XmlRpcFault f = assertThrows(XmlRpcFault.class, () -> format.call("resize_image", new byte[1], "x", 1, 1, true));
    assertEquals("<class 'Exception'>:method \"resize_image\" is not supported", f.faultString());
    assertTrue(orchestrator.methodHelp("process_image").contains("options"));
    Object[] sig = (Object[]) ((Object[]) watermark.call("system.methodSignature", "add_text_watermark"))[0];
    assertEquals(List.of("struct", "base64", "string", "string", "string", "int", "string", "double"), Arrays.asList(sig));
  }

  @Test
  void multicallRunsStageCallsInOrder() throws Exception {
    byte[] solid = TestImages.png(TestImages.solid(10, 10, 200, 100, 50));
    Object[] results = (Object[]) filter.call("system.multicall", (Object) new Object[] {
        Map.of("methodName", "apply_filter", "params", new Object[] {solid, "a", "GRAYSCALE", 1.0}),
        Map.of("methodName", "apply_filter", "params", new Object[] {solid, "a"}),
        Map.of("methodName", "system.listMethods", "params", new Object[0])});
    Map<?, ?> first = (Map<?, ?>) ((Object[]) results[0])[0];
    assertEquals("Applied GRAYSCALE filter", first.get("message"));
    assertEquals("(124,124,124)", TestImages.rgb(decode(first.get("filtered_image")).raster().pixel(1, 1)));
    assertTrue(((Map<?, ?>) results[1]).get("faultString").toString().contains("takes 4 arguments"));
    assertTrue(Arrays.asList((Object[]) ((Object[]) results[2])[0]).contains("batch_filter"));
  }

  @Test
  void aLoopbackClientGetsLargeAnswersUnzippedByDefault() throws Exception {
    // imgpipe.http.gzip-answers = remote: compressing base64 for a client on the same machine costs
    // the node CPU and saves no network (ServicePortTest covers "on").
    HttpResponse<byte[]> r = http.send(HttpRequest.newBuilder(URI.create(node.url(Role.RESIZE) + "/RPC2"))
        .header("Content-Type", "text/xml").header("Accept-Encoding", "gzip")
        .POST(HttpRequest.BodyPublishers.ofByteArray(codec.requestBytes("get_thumbnail",
            List.of(TestImages.png(TestImages.photoLike(400, 300, 2)), "g", 128))))
        .build(), HttpResponse.BodyHandlers.ofByteArray());
    assertEquals("", r.headers().firstValue("Content-Encoding").orElse(""));
    assertTrue(r.body().length > 1400, "large enough to be gzipped for a remote client");
    Map<?, ?> m = (Map<?, ?>) codec.parseResponse(new ByteArrayInputStream(r.body())).value();
    assertEquals(128, m.get("width"));
  }

  @Test
  void readyAndMetricsOnEveryPort() throws Exception {
    for (Role role : Role.values()) {
      assertEquals(200, http.send(HttpRequest.newBuilder(URI.create(node.url(role) + "/ready")).build(),
          HttpResponse.BodyHandlers.discarding()).statusCode(), role.toString());
    }
    resize.getThumbnail(photo1920, "m", 64);
    String metrics = http.send(HttpRequest.newBuilder(URI.create(node.url(Role.FORMAT) + "/metrics")).build(),
        HttpResponse.BodyHandlers.ofString()).body();
    assertTrue(metrics.contains("imgpipe_xmlrpc_requests_total{method=\"get_thumbnail\",outcome=\"ok\","
        + "service=\"ResizeService\"}"), metrics);
    assertTrue(metrics.contains("imgpipe_stage_jobs_total"), metrics);
    assertTrue(metrics.contains("imgpipe_cluster_members"), metrics);
  }

  @Test
  void bodiesAboveAkkasDefaultStrictLimitAreRead() throws Exception {
    // 12 MB of non-image bytes: 16 MB of XML, above Akka HTTP's 8 MB toStrict default, below imgpipe's 64 MiB
    byte[] big = new byte[12 * 1024 * 1024];
    new java.util.Random(5).nextBytes(big);
    Map<String, Object> r = resize.resizeImage(big, "big", 10, 10, true);
    assertEquals(Boolean.FALSE, r.get("success"));
    assertTrue(r.get("message").toString().contains("cannot identify image data (12582912 bytes)"),
        r.get("message").toString());
  }

  @Test
  void theJavaClientRoundTripsBinaryExactly() throws Exception {
    byte[] odd = new byte[12_345];
    new java.util.Random(3).nextBytes(odd);
    Map<String, Object> r = resize.resizeImage(odd, "bin", 10, 10, true);
    assertEquals(Boolean.FALSE, r.get("success"));
    assertArrayEquals(new byte[0], (byte[]) r.get("resized_image"));
  }
}
