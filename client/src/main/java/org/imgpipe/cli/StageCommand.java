package org.imgpipe.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imgpipe.config.ImgpipeSettings.Role;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * A command that calls one stage service directly for each file and writes the image of each answer:
 * the successor of the original's test_resize.py style of checking one service.
 */
abstract class StageCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "Image files.")
  List<Path> files;

  @Option(names = "--node", paramLabel = "HOST[:PORT]", converter = Endpoint.Converter.class,
      description = "The service's address (default 127.0.0.1 and the service's port).")
  Endpoint node;

  @Option(names = "--output", paramLabel = "DIR", defaultValue = "output",
      description = "Folder for the results (default ${DEFAULT-VALUE}/).")
  Path output;

  @Mixin CallOptions call;

  /** The service's role, for its default port. */
  abstract Role role();

  /** The remote call for one file. */
  abstract Map<String, Object> callFor(Remote remote, String imageId, byte[] image);

  /** The answer's image key (resized_image, filtered_image, ...). */
  abstract String imageKey(Map<String, Object> answer);

  /** Suffix of the written file's name. */
  abstract String suffix();

  /** Extra answer fields worth a line (new size, ...). */
  String details(Map<String, Object> answer) {
    return "";
  }

  /** Whether an answer means success (the thumbnail's struct has no success flag). */
  boolean succeeded(Map<String, Object> answer) {
    return Boolean.TRUE.equals(answer.get("success"));
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    checkOptions();
    Endpoint ep = Defaults.endpoint(node, role());
    Remote remote = call.remote(ep);
    int failures = 0;
    for (Path file : files) {
      try {
        byte[] image = ImageFiles.read(file);
        Map<String, Object> a = callFor(remote, ImageFiles.stem(file), image);
        Object time = a.containsKey("processing_time_ms") ? a.get("processing_time_ms")
            : a.get("total_processing_time_ms");
        if (!succeeded(a)) {
          failures++;
          err.println(file + ": FAILED: " + a.getOrDefault("message", a));
          continue;
        }
        Path written = ImageFiles.write(output, ImageFiles.stem(file), suffix(), (byte[]) a.get(imageKey(a)));
        String msg = a.containsKey("message") ? String.valueOf(a.get("message")) : "OK";
        out.println(file + ": " + msg + details(a) + (time == null ? "" : " in " + time + " ms") + " -> " + written);
      } catch (CliException e) {
        failures++;
        err.println("imgpipe " + spec.name() + ": " + e.getMessage());
      }
      out.flush();
      err.flush();
    }
    return failures == 0 ? 0 : 1;
  }

  /** Checks option combinations before any call. */
  void checkOptions() {}
}
