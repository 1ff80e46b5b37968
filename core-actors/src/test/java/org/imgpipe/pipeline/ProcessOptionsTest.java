package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The options struct of process_image: the original's keys and defaults, the extensions, clear type errors. */
class ProcessOptionsTest {

  @Test
  void emptyOptionsTakeTheOriginalDefaults() {
    ProcessOptions o = ProcessOptions.parse(Map.of());
    assertFalse(o.resizeEnabled());
    assertEquals(List.of(), o.filters());
    assertFalse(o.addWatermark());
    assertEquals("", o.watermarkText());
    assertEquals("bottom-right", o.watermarkPosition());
    assertEquals("PNG", o.outputFormat());
    assertEquals(90, o.effectiveQuality());
    assertEquals(1.0, o.filterIntensity());
    assertEquals(30, o.watermarkFontSize());
    assertEquals("#FFFFFF", o.watermarkColor());
    assertEquals(0.8, o.watermarkOpacity());
    assertTrue(o.maintainAspectRatio());
    assertFalse(o.hasTimeout());
    assertEquals(o, ProcessOptions.parse(null));
  }

  @Test
  void resizeRunsWhenEitherTargetIsPositiveAndQualityZeroMeans90() {
    assertTrue(ProcessOptions.parse(Map.of("target_width", 800)).resizeEnabled());
    assertTrue(ProcessOptions.parse(Map.of("target_width", -5, "target_height", 600)).resizeEnabled());
    assertFalse(ProcessOptions.parse(Map.of("target_width", 0, "target_height", -1)).resizeEnabled());
    assertEquals(90, ProcessOptions.parse(Map.of("output_quality", 0)).effectiveQuality());
    assertEquals(150, ProcessOptions.parse(Map.of("output_quality", 150)).effectiveQuality());
  }

  @Test
  void extensionKeysAndArraysFromXmlRpcAreRead() {
    Map<String, Object> m = new HashMap<>();
    m.put("filters", new Object[] {"BLUR", "SEPIA"});
    m.put("filter_intensity", 0.5);
    m.put("watermark_font_size", 12);
    m.put("watermark_color", "#FF0000");
    m.put("watermark_opacity", 1);
    m.put("maintain_aspect_ratio", false);
    m.put("timeout_ms", 2500);
    m.put("unknown_key", "ignored");
    ProcessOptions o = ProcessOptions.parse(m);
    assertEquals(List.of("BLUR", "SEPIA"), o.filters());
    assertEquals(0.5, o.filterIntensity());
    assertEquals(12, o.watermarkFontSize());
    assertEquals(1.0, o.watermarkOpacity());
    assertFalse(o.maintainAspectRatio());
    assertEquals(2500, o.timeoutMs());
    assertEquals(List.of("GRAYSCALE"), ProcessOptions.parse(Map.of("filters", List.of("GRAYSCALE"))).filters());
  }

  @Test
  void wrongTypesAreClearErrorsNamingTheKey() {
    assertEquals("option 'target_width' must be an int, got a string",
        assertThrows(IllegalArgumentException.class, () -> ProcessOptions.parse(Map.of("target_width", "800")))
            .getMessage());
    assertEquals("option 'filters' must be an array of strings, got a string",
        assertThrows(IllegalArgumentException.class, () -> ProcessOptions.parse(Map.of("filters", "BLUR")))
            .getMessage());
    assertEquals("option 'filters' must be an array of strings; item 2 is an int",
        assertThrows(IllegalArgumentException.class,
            () -> ProcessOptions.parse(Map.of("filters", new Object[] {"BLUR", 3}))).getMessage());
    assertEquals("option 'add_watermark' must be a boolean, got an int",
        assertThrows(IllegalArgumentException.class, () -> ProcessOptions.parse(Map.of("add_watermark", 1)))
            .getMessage());
    assertEquals("option 'output_quality' must be an int, got a double",
        assertThrows(IllegalArgumentException.class, () -> ProcessOptions.parse(Map.of("output_quality", 90.0)))
            .getMessage());
    assertEquals("option 'filter_intensity' must be a double, got a string",
        assertThrows(IllegalArgumentException.class, () -> ProcessOptions.parse(Map.of("filter_intensity", "1")))
            .getMessage());
    assertTrue(assertThrows(IllegalArgumentException.class, () -> ProcessOptions.parse(Map.of("timeout_ms", -1)))
        .getMessage().startsWith("option 'timeout_ms' must be a positive number"));
  }
}
