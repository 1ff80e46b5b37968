package org.imgpipe.pipeline;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The stats struct of process_image with the original's keys. A null field was not measured and is
 * left out of {@link #toOrderedMap()}.
 */
public record PipelineStats(
    Long originalSizeBytes,
    Long resizeTimeMs,
    Long filterTimeMs,
    Long watermarkTimeMs,
    Long formatTimeMs,
    Map<String, String> hostMap,
    Long totalTimeMs,
    Long processedSizeBytes) {

  public PipelineStats {
    hostMap = hostMap == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(hostMap));
  }

  public static PipelineStats empty() {
    return new PipelineStats(null, null, null, null, null, Map.of(), null, null);
  }

  /** The stats in the original's wire order; absent values are left out, host_map when empty too. */
  public Map<String, Object> toOrderedMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    put(m, "original_size_bytes", originalSizeBytes);
    put(m, "resize_time_ms", resizeTimeMs);
    put(m, "filter_time_ms", filterTimeMs);
    put(m, "watermark_time_ms", watermarkTimeMs);
    put(m, "format_time_ms", formatTimeMs);
    if (!hostMap.isEmpty()) {
      m.put("host_map", new LinkedHashMap<>(hostMap));
    }
    put(m, "total_time_ms", totalTimeMs);
    put(m, "processed_size_bytes", processedSizeBytes);
    return m;
  }

  private static void put(Map<String, Object> m, String key, Long value) {
    if (value != null) {
      // XML-RPC ints are 32-bit; every value here fits (sizes are capped by the request limit).
      m.put(key, (int) Math.min(Integer.MAX_VALUE, Math.max(Integer.MIN_VALUE, value)));
    }
  }
}
