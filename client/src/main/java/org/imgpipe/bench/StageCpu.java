package org.imgpipe.bench;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;
import org.imgpipe.demo.BatchItem;
import org.imgpipe.imaging.BoxReduce;
import org.imgpipe.imaging.FilterType;
import org.imgpipe.imaging.ImageDecoder;
import org.imgpipe.imaging.ImageEncoder;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.Position;
import org.imgpipe.imaging.Raster;
import org.imgpipe.imaging.Resize;
import org.imgpipe.imaging.TextWatermark;
import org.imgpipe.xmlrpc.XmlRpcCall;
import org.imgpipe.xmlrpc.XmlRpcCodec;

/**
 * Where one request's CPU goes, step by step, in one thread: the client writing the XML-RPC request,
 * the server parsing it, decode, resize (with or without shrink-on-load), each filter, the watermark,
 * encode, the response XML and its gzip, and the client parsing the answer. Timed by the thread's CPU
 * clock, so that on a shared, loaded machine the waits for a core are not counted.
 *
 * <pre>java -cp client/target/client-*.jar:client/target/lib/* org.imgpipe.bench.StageCpu photo [ROUNDS] [plain]</pre>
 *
 * The first two rounds over the workload's images are warm-up; "plain" resizes without shrink-on-load.
 */
public final class StageCpu {

  private final ThreadMXBean threads = ManagementFactory.getThreadMXBean();
  private final Map<String, long[]> steps = new LinkedHashMap<>();
  private long mark;

  private void step(String name) {
    long now = threads.getCurrentThreadCpuTime();
    steps.computeIfAbsent(name, k -> new long[1])[0] += now - mark;
    mark = threads.getCurrentThreadCpuTime();
  }

  public static void main(String[] args) throws Exception {
    // One thread does all the work, so that its CPU clock counts all of it (split kernels would run
    // part of their rows on pool threads this clock does not see).
    org.imgpipe.imaging.Rows.maxParts(1);
    String name = args.length > 0 ? args[0] : "photo";
    int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
    boolean shrink = !(args.length > 2 && args[2].equals("plain"));
    new StageCpu().run(Workload.named(name, null), Math.max(3, rounds), shrink);
  }

  private void run(Workload w, int rounds, boolean shrink) throws Exception {
    ImagingLimits limits = ImagingLimits.DEFAULT;
    ImageDecoder decoder = new ImageDecoder(limits);
    ImageEncoder encoder = new ImageEncoder();
    XmlRpcCodec codec = new XmlRpcCodec(new XmlRpcCodec.Limits(64, 200_000));
    List<BatchItem> items = w.first(8);
    for (int round = 0; round < rounds; round++) {
      if (round == 2) {
        steps.clear();
      }
      for (BatchItem item : items) {
        Map<String, Object> o = item.options();
        mark = threads.getCurrentThreadCpuTime();
        byte[] request = codec.requestBytes("process_image", List.of(item.name(), item.image(), new LinkedHashMap<>(o)));
        step("client: write request XML");
        XmlRpcCall call = codec.parseRequest(new ByteArrayInputStream(request));
        byte[] image = (byte[]) call.params().get(1);
        step("server: parse request XML");
        var decoded = decoder.decode(image);
        Raster r = decoded.raster();
        step("decode " + decoded.format());
        Resize resize = new Resize((Integer) o.get("target_width"), (Integer) o.get("target_height"), true, limits);
        r = shrink && decoded.format() == ImageFormat.JPEG ? BoxReduce.resize(r, resize) : resize.apply(r);
        step("resize" + (shrink && decoded.format() == ImageFormat.JPEG ? " (shrink-on-load)" : ""));
        for (Object f : (List<?>) o.get("filters")) {
          r = FilterType.parse(String.valueOf(f)).withIntensity(1.0).apply(r);
          step("filter " + f);
        }
        r = new TextWatermark(String.valueOf(o.get("watermark_text")), Position.BOTTOM_RIGHT, 36, "white", 0.5).apply(r);
        step("watermark");
        String format = String.valueOf(o.get("output_format"));
        byte[] out = encoder.encode(r, ImageFormat.parse(format), (Integer) o.get("output_quality"));
        step("encode " + format);
        Map<String, Object> answer = new LinkedHashMap<>();
        answer.put("success", true);
        answer.put("processed_image", out);
        byte[] response = codec.responseBytes(answer);
        step("server: write response XML");
        ByteArrayOutputStream zipped = new ByteArrayOutputStream();
        try (GZIPOutputStream z = new GZIPOutputStream(zipped) {
          {
            def.setLevel(Deflater.BEST_SPEED);
          }
        }) {
          z.write(response);
        }
        step("server: gzip response");
        codec.parseResponse(new ByteArrayInputStream(response));
        step("client: parse response XML");
      }
    }
    int images = (rounds - 2) * items.size();
    long total = 0;
    System.out.printf("%s workload, %d images after 2 warm-up rounds; CPU ms per image (filters: mean over all images)%n",
        w.name(), images);
    for (Map.Entry<String, long[]> e : steps.entrySet()) {
      total += e.getValue()[0];
      System.out.printf(Locale.ROOT, "  %-34s %7.1f%n", e.getKey(), e.getValue()[0] / 1e6 / images);
    }
    System.out.printf(Locale.ROOT, "  %-34s %7.1f%n", "total", total / 1e6 / images);
  }
}
