package org.imgpipe.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imgpipe.config.ImgpipeSettings.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imgpipe process FILE...}: each file through process_image, with every option as a flag. */
@Command(name = "process", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Sends image files through the whole pipeline (resize, filters, watermark, format).",
    footer = {"", "Example:",
        "  imgpipe process photo.jpg --width 1280 --height 720 --filters SEPIA,SHARPEN --watermark \"(c) me\" "
            + "--format JPEG --quality 85"})
final class ProcessCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Image files.")
  List<Path> files;

  @Option(names = {"--width", "-W"}, paramLabel = "PX", description = "target_width (0: keep).")
  Integer width;

  @Option(names = {"--height", "-H"}, paramLabel = "PX", description = "target_height (0: keep).")
  Integer height;

  @Option(names = "--filters", split = ",", paramLabel = "NAME",
      description = "Filters in order: GRAYSCALE, BLUR, SHARPEN, EDGE_DETECT, SEPIA, NEGATIVE, BRIGHTNESS, CONTRAST.")
  List<String> filters;

  @Option(names = "--watermark", paramLabel = "TEXT", description = "Adds this text watermark (add_watermark).")
  String watermark;

  @Option(names = "--position", paramLabel = "POS",
      description = "watermark_position: top-left, top-right, bottom-left, bottom-right, center.")
  String position;

  @Option(names = "--format", paramLabel = "FMT", description = "output_format: PNG, JPEG, WEBP (default PNG).")
  String format;

  @Option(names = "--quality", paramLabel = "Q", description = "output_quality 1-100 (default 90).")
  Integer quality;

  @Option(names = "--option", paramLabel = "KEY=VALUE",
      description = "Any other process_image option; VALUE is read as a number, true/false, or a,b,c list.")
  Map<String, String> extra;

  @Option(names = "--orchestrator", paramLabel = "HOST:PORT", converter = Endpoint.Converter.class,
      description = "Orchestrator address (default 127.0.0.1:50055).")
  Endpoint orchestrator;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = "output",
      description = "Folder for the results (default ${DEFAULT-VALUE}/).")
  Path output;

  @Mixin CallOptions call;

  Map<String, Object> options() {
    Map<String, Object> o = new LinkedHashMap<>();
    if (width != null) o.put("target_width", width);
    if (height != null) o.put("target_height", height);
    if (filters != null) o.put("filters", List.copyOf(filters));
    if (watermark != null) {
      o.put("add_watermark", true);
      o.put("watermark_text", watermark);
    }
    if (position != null) o.put("watermark_position", position);
    if (format != null) o.put("output_format", format);
    if (quality != null) o.put("output_quality", quality);
    if (extra != null) {
      extra.forEach((k, v) -> o.put(k, value(v)));
    }
    return o;
  }

  static Object value(String v) {
    if (v.equalsIgnoreCase("true") || v.equalsIgnoreCase("false")) {
      return Boolean.parseBoolean(v);
    }
    if (v.matches("-?\\d{1,9}")) {
      return Integer.parseInt(v);
    }
    if (v.matches("-?\\d+\\.\\d+")) {
      return Double.parseDouble(v);
    }
    if (v.contains(",")) {
      List<String> parts = new ArrayList<>();
      for (String p : v.split(",")) {
        parts.add(p.trim());
      }
      return parts;
    }
    return v;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    Endpoint orch = Defaults.endpoint(orchestrator, Role.ORCHESTRATOR);
    Remote remote = call.remote(orch);
    Map<String, Object> options = options();
    int failures = 0;
    for (Path file : files) {
      try {
        byte[] image = ImageFiles.read(file);
        Map<String, Object> a = remote.call(c -> c.processImage(file.getFileName().toString(), image, options));
        if (!Boolean.TRUE.equals(a.get("success"))) {
          failures++;
          err.println(file + ": FAILED: " + a.get("message"));
          continue;
        }
        Path written = ImageFiles.write(output, ImageFiles.stem(file), "processed", (byte[]) a.get("processed_image"));
        out.println(file + ": " + a.get("message") + " -> " + written);
        out.println("  process_id " + a.get("process_id"));
        if (a.get("stats") instanceof Map<?, ?> stats) {
          stats.forEach((k, v) -> {
            if (v instanceof Map<?, ?> hm) {
              out.println("  " + k + ":");
              hm.forEach((stage, node) -> out.println("    " + stage + " -> " + node));
            } else {
              out.println("  " + k + " " + v);
            }
          });
        }
      } catch (CliException e) {
        failures++;
        err.println("imgpipe process: " + e.getMessage());
      }
      out.flush();
      err.flush();
    }
    return failures == 0 ? 0 : 1;
  }
}
