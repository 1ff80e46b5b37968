package org.imgpipe.cli;

import java.util.List;
import java.util.Map;
import org.imgpipe.config.ImgpipeSettings.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code imgpipe filter}: apply_filter (or batch_filter) on the Filter service. */
@Command(name = "filter", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Calls the Filter service (50053): apply_filter, or batch_filter with --batch.",
    footer = {"", "Examples:", "  imgpipe filter photo.png --type SEPIA --intensity 0.5",
        "  imgpipe filter photo.png --batch BLUR,SHARPEN"})
final class FilterCommand extends StageCommand {

  @Option(names = "--type", paramLabel = "NAME",
      description = "GRAYSCALE, BLUR, SHARPEN, EDGE_DETECT, SEPIA, NEGATIVE, BRIGHTNESS, CONTRAST.")
  String type;

  @Option(names = "--intensity", paramLabel = "X", defaultValue = "1.0",
      description = "0.0-1.0 (default ${DEFAULT-VALUE}).")
  double intensity;

  @Option(names = "--batch", split = ",", paramLabel = "NAME",
      description = "batch_filter: these filters in order, each at 0.8.")
  List<String> batch;

  @Override
  void checkOptions() {
    if ((type == null) == (batch == null)) {
      throw new CliException("give either --type NAME or --batch NAME,NAME,...");
    }
  }

  @Override
  Role role() {
    return Role.FILTER;
  }

  @Override
  Map<String, Object> callFor(Remote remote, String id, byte[] image) {
    return batch != null
        ? remote.call(c -> c.batchFilter(image, id, batch))
        : remote.call(c -> c.applyFilter(image, id, type, intensity));
  }

  @Override
  String imageKey(Map<String, Object> a) {
    return "filtered_image";
  }

  @Override
  String suffix() {
    return batch != null ? "filtered" : type.toLowerCase(java.util.Locale.ROOT);
  }
}
