package org.imgpipe.cli;

import java.nio.file.Path;
import java.util.Map;
import org.imgpipe.config.ImgpipeSettings.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code imgpipe watermark}: add_text_watermark (or add_logo_watermark) on the Watermark service. */
@Command(name = "watermark", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Calls the Watermark service (50054): add_text_watermark, or add_logo_watermark with --logo.",
    footer = {"", "Examples:", "  imgpipe watermark photo.png --text \"(c) 2026\" --position bottom-right",
        "  imgpipe watermark photo.png --logo logo.png --scale 0.2 --opacity 0.6"})
final class WatermarkCommand extends StageCommand {

  @Option(names = "--text", paramLabel = "TEXT", description = "Text to draw.")
  String text;

  @Option(names = "--logo", paramLabel = "FILE", description = "Logo image to paste instead of text.")
  Path logo;

  @Option(names = "--position", paramLabel = "POS", defaultValue = "bottom-right",
      description = "top-left, top-right, bottom-left, bottom-right, center (default ${DEFAULT-VALUE}).")
  String position;

  @Option(names = "--font-size", paramLabel = "PX", defaultValue = "30", description = "Default ${DEFAULT-VALUE}.")
  int fontSize;

  @Option(names = "--color", paramLabel = "COLOR", defaultValue = "#FFFFFF", description = "Default ${DEFAULT-VALUE}.")
  String color;

  @Option(names = "--opacity", paramLabel = "X", defaultValue = "0.8", description = "0.0-1.0 (default ${DEFAULT-VALUE}).")
  double opacity;

  @Option(names = "--scale", paramLabel = "X", defaultValue = "0.2",
      description = "Logo width as a share of the image width (default ${DEFAULT-VALUE}).")
  double scale;

  @Override
  void checkOptions() {
    if ((text == null) == (logo == null)) {
      throw new CliException("give either --text TEXT or --logo FILE");
    }
  }

  @Override
  Role role() {
    return Role.WATERMARK;
  }

  @Override
  Map<String, Object> callFor(Remote remote, String id, byte[] image) {
    if (logo != null) {
      byte[] logoBytes = ImageFiles.read(logo);
      return remote.call(c -> c.addLogoWatermark(image, id, logoBytes, position, scale, opacity));
    }
    return remote.call(c -> c.addTextWatermark(image, id, text, position, fontSize, color, opacity));
  }

  @Override
  String imageKey(Map<String, Object> a) {
    return "watermarked_image";
  }

  @Override
  String suffix() {
    return "watermarked";
  }
}
