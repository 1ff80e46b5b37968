package org.imgpipe.pipeline;

import java.util.LinkedHashMap;
import java.util.Map;

/** The answer of get_processing_status for one process id. */
public record JobStatus(String processId, String status, int progressPercent, String currentStage, PipelineStats stats) {

  public static final String QUEUED = "queued";
  public static final String RESIZING = "resizing";
  public static final String FILTERING = "filtering";
  public static final String WATERMARKING = "watermarking";
  public static final String FORMATTING = "formatting";
  public static final String COMPLETED = "completed";
  public static final String FAILED = "failed";
  public static final String UNKNOWN = "unknown";

  public static JobStatus unknown(String processId) {
    return new JobStatus(processId, UNKNOWN, 0, "", PipelineStats.empty());
  }

  public boolean finished() {
    return COMPLETED.equals(status) || FAILED.equals(status);
  }

  public boolean known() {
    return !UNKNOWN.equals(status);
  }

  /** The original's struct keys in order: process_id, status, progress_percent, current_stage, stats. */
  public Map<String, Object> toOrderedMap() {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("process_id", processId);
    m.put("status", status);
    m.put("progress_percent", progressPercent);
    m.put("current_stage", currentStage);
    m.put("stats", stats.toOrderedMap());
    return m;
  }
}
