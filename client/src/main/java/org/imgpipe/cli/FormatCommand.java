package org.imgpipe.cli;

import java.util.Map;
import org.imgpipe.config.ImgpipeSettings.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code imgpipe format}: convert_format on the Format service. */
@Command(name = "format", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Calls the Format service (50056): convert_format.",
    footer = {"", "Example:", "  imgpipe format photo.png --to JPEG --quality 85"})
final class FormatCommand extends StageCommand {

  @Option(names = "--to", paramLabel = "FMT", required = true, description = "PNG, JPEG or WEBP.")
  String to;

  @Option(names = "--quality", paramLabel = "Q", defaultValue = "90", description = "1-100 (default ${DEFAULT-VALUE}).")
  int quality;

  @Override
  Role role() {
    return Role.FORMAT;
  }

  @Override
  Map<String, Object> callFor(Remote remote, String id, byte[] image) {
    return remote.call(c -> c.convertFormat(image, id, to, quality));
  }

  @Override
  String imageKey(Map<String, Object> a) {
    return "formatted_image";
  }

  @Override
  String suffix() {
    return "formatted";
  }

  @Override
  String details(Map<String, Object> a) {
    return a.get(imageKey(a)) instanceof byte[] b ? " (" + b.length + " bytes)" : "";
  }
}
