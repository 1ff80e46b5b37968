package org.imgpipe.panel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.imgpipe.config.ImgpipeSettings.Role;
import org.imgpipe.demo.SyntheticBatch;
import org.junit.jupiter.api.Test;

class PanelSettingsTest {

  static PanelSettings own(List<String> filters, int count) {
    PanelSettings d = PanelSettings.defaults();
    return new PanelSettings(d.services(), d.callTimeout(), count, PanelSettings.SourceKind.SYNTHETIC, null,
        Path.of("out"), 1, 800, 600, false, false, filters, 0.5, true, "Hello, world", "top-left", 24, "#FF000080",
        0.4, "JPEG", 75);
  }

  @Test
  void defaultsAreTheOriginalPanelsBatch() {
    PanelSettings d = PanelSettings.defaults();
    assertEquals(30, d.imageCount());
    assertEquals(PanelSettings.SourceKind.SYNTHETIC, d.source());
    assertEquals(List.of(), d.problems());
    assertEquals(50055, d.services().port(Role.ORCHESTRATOR));
    assertEquals(50052, d.services().port(Role.RESIZE));
    assertEquals(50056, d.services().port(Role.FORMAT));
    // Image i carries exactly the CLI demo's options (plus the extension keys at their defaults).
    for (int i = 1; i <= 4; i++) {
      Map<String, Object> o = d.processOptions(i);
      SyntheticBatch.options(i).forEach((k, v) -> assertEquals(v, o.get(k), "option " + k));
      assertEquals(1.0, o.get("filter_intensity"));
      assertEquals(30, o.get("watermark_font_size"));
      assertEquals("#FFFFFF", o.get("watermark_color"));
      assertEquals(0.8, o.get("watermark_opacity"));
      assertEquals(true, o.get("maintain_aspect_ratio"));
    }
  }

  @Test
  void ownOptionsGoIntoTheStructInTheOriginalsKeyOrderThenTheExtensions() {
    Map<String, Object> o = own(List.of("SEPIA", "NEGATIVE"), 5).processOptions(3);
    assertEquals(List.of("target_width", "target_height", "filters", "add_watermark", "watermark_text",
        "watermark_position", "output_format", "output_quality", "filter_intensity", "watermark_font_size",
        "watermark_color", "watermark_opacity", "maintain_aspect_ratio"), List.copyOf(o.keySet()));
    assertEquals(800, o.get("target_width"));
    assertEquals(List.of("SEPIA", "NEGATIVE"), o.get("filters"));
    assertEquals("Hello, world", o.get("watermark_text"));
    assertEquals("top-left", o.get("watermark_position"));
    assertEquals("JPEG", o.get("output_format"));
    assertEquals(75, o.get("output_quality"));
    assertEquals(0.5, o.get("filter_intensity"));
    assertEquals("#FF000080", o.get("watermark_color"));
    assertEquals(false, o.get("maintain_aspect_ratio"));
    assertEquals("jpg", own(List.of(), 1).outputExtension());
  }

  @Test
  void imageCountOutsideOneToHundredIsRefused() {
    assertEquals(List.of("The image count must be between 1 and 100."), own(List.of(), 0).problems());
    assertEquals(List.of("The image count must be between 1 and 100."), own(List.of(), 101).problems());
    assertEquals(List.of(), own(List.of(), 100).problems());
    assertEquals(List.of(), own(List.of(), 1).problems());
  }

  @Test
  void wrongValuesAreNamedInWordsTheUserCanActOn() {
    PanelSettings d = PanelSettings.defaults();
    PanelSettings bad = new PanelSettings(d.services().withOrchestrator("host:notaport"), d.callTimeout(), 3,
        PanelSettings.SourceKind.FOLDER, null, Path.of("out"), 1, 800, 600, true, false, List.of("SEPIA", "WOBBLE"),
        1.0, true, " ", "middle", 2, "not-a-colour", 1.5, "TIFF", 0);
    List<String> p = bad.problems();
    assertTrue(p.contains("The Orchestrator port must be a number from 1 to 65535."), p.toString());
    assertTrue(p.contains("Choose the folder that holds your images."), p.toString());
    assertTrue(p.stream().anyMatch(s -> s.startsWith("Unknown filter WOBBLE")), p.toString());
    assertTrue(p.contains("Type a watermark text, or turn the watermark off."), p.toString());
    assertTrue(p.contains("Unknown watermark position middle."), p.toString());
    assertTrue(p.contains("The watermark font size must be between 6 and 400."), p.toString());
    assertTrue(p.stream().anyMatch(s -> s.startsWith("The watermark colour must be")), p.toString());
    assertTrue(p.contains("The watermark opacity must be between 0 and 1."), p.toString());
    assertTrue(p.contains("Unknown output format TIFF."), p.toString());
    assertTrue(p.contains("The output quality must be between 1 and 100."), p.toString());
    assertEquals(10, p.size(), p.toString());
  }

  @Test
  void theAddressFieldTakesHostPortHostAloneAndBracketedIpv6() {
    ServiceAddresses d = ServiceAddresses.defaults();
    ServiceAddresses a = d.withOrchestrator(" 10.0.0.5:6000 ");
    assertEquals("10.0.0.5", a.host());
    assertEquals(6000, a.port(Role.ORCHESTRATOR));
    assertEquals(50052, a.port(Role.RESIZE));
    assertEquals("10.0.0.5:6000", a.orchestratorAddress());
    ServiceAddresses b = d.withOrchestrator("worker1");
    assertEquals("worker1", b.host());
    assertEquals(50055, b.port(Role.ORCHESTRATOR));
    ServiceAddresses c = d.withOrchestrator("[::1]:7000");
    assertEquals("::1", c.host());
    assertEquals(7000, c.port(Role.ORCHESTRATOR));
    assertEquals("[::1]:7000", c.orchestratorAddress());
    assertEquals(List.of("Type the orchestrator's address as host:port, for example localhost:50055."),
        d.withOrchestrator("").problems());
  }

  @Test
  void colourNamesAndHexFormsAreAccepted() {
    for (String ok : List.of("#fff", "#FFFFFF", "#ff000080", "white", " Yellow ")) {
      assertTrue(PanelSettings.isColour(ok), ok);
    }
    for (String bad : List.of("", "#ff", "#12345", "fff", "ultraviolet")) {
      assertTrue(!PanelSettings.isColour(bad), bad);
    }
  }
}
