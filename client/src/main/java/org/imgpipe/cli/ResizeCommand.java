package org.imgpipe.cli;

import java.util.Map;
import org.imgpipe.config.ImgpipeSettings.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code imgpipe resize}: resize_image (or get_thumbnail) on the Resize service. */
@Command(name = "resize", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Calls the Resize service (50052): resize_image, or get_thumbnail with --thumbnail.",
    footer = {"", "Example:", "  imgpipe resize photo.png --width 800 --height 600"})
final class ResizeCommand extends StageCommand {

  @Option(names = {"--width", "-W"}, paramLabel = "PX", defaultValue = "0", description = "target_width.")
  int width;

  @Option(names = {"--height", "-H"}, paramLabel = "PX", defaultValue = "0", description = "target_height.")
  int height;

  @Option(names = "--keep-aspect", arity = "1", paramLabel = "BOOL", defaultValue = "true",
      description = "maintain_aspect_ratio (default ${DEFAULT-VALUE}).")
  boolean keepAspect;

  @Option(names = "--thumbnail", paramLabel = "SIZE", description = "get_thumbnail to fit SIZE x SIZE instead.")
  Integer thumbnail;

  @Override
  void checkOptions() {
    if (thumbnail == null && width == 0 && height == 0) {
      throw new CliException("give --width and/or --height, or --thumbnail SIZE");
    }
  }

  @Override
  Role role() {
    return Role.RESIZE;
  }

  @Override
  Map<String, Object> callFor(Remote remote, String id, byte[] image) {
    return thumbnail != null
        ? remote.call(c -> c.getThumbnail(image, id, thumbnail))
        : remote.call(c -> c.resizeImage(image, id, width, height, keepAspect));
  }

  @Override
  boolean succeeded(Map<String, Object> a) {
    return thumbnail != null ? !"ERROR".equals(a.get("format")) : super.succeeded(a);
  }

  @Override
  String imageKey(Map<String, Object> a) {
    return thumbnail != null ? "data" : "resized_image";
  }

  @Override
  String suffix() {
    return thumbnail != null ? "thumbnail" : "resized";
  }

  @Override
  String details(Map<String, Object> a) {
    return thumbnail != null ? " (" + a.get("width") + "x" + a.get("height") + ")" : "";
  }
}
