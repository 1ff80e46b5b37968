package org.imgpipe.bridge;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.imgpipe.pipeline.StageJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Filter service (port 50053): apply_filter and batch_filter, with the original's structs. */
final class FilterService {

  private static final Logger log = LoggerFactory.getLogger(FilterService.class);
  private static final byte[] EMPTY = new byte[0];

  /** The original's batch_filter applies every filter at this intensity. */
  static final double BATCH_INTENSITY = 0.8;

  private FilterService() {}

  static MethodTable table(StageCalls calls, int maxFilters) {
    return new MethodTable("FilterService", List.of(
        new RemoteMethod("apply_filter",
            List.of(Param.base64("image_data"), Param.string("image_id"), Param.string("filter_type"),
                Param.decimal("intensity")),
            WireType.STRUCT,
            "Apply one filter (GRAYSCALE, BLUR, SHARPEN, EDGE_DETECT, SEPIA, NEGATIVE, BRIGHTNESS, CONTRAST; any case) "
                + "at an intensity, usually 0..1; answers PNG.",
            a -> apply(calls, a)),
        new RemoteMethod("batch_filter",
            List.of(Param.base64("image_data"), Param.string("image_id"), Param.array("filters")),
            WireType.STRUCT,
            "Apply filters in order, each at intensity 0.8, and encode the result once as PNG.",
            a -> batch(calls, a, maxFilters))));
  }

  private static CompletionStage<Reply> apply(StageCalls calls, Args a) {
    long start = System.nanoTime();
    String name = a.string(2);
    StageJob job = new StageJob.Filter(List.of(new StageJob.FilterStep(name, a.decimal(3))), true);
    return calls.run(job, a.bytes(0)).thenApply(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("success", r.ok());
      m.put("message", r.ok() ? "Applied " + name + " filter" : StageCalls.failure("Filter failed: ", r));
      m.put("filtered_image", r.ok() ? StageCalls.bytes(r) : EMPTY);
      m.put("processing_time_ms", StageCalls.millis(r, start));
      log.info("apply_filter {}: {} on {}", a.string(1), m.get("message"), r.node());
      return r.ok() ? Reply.ok(m) : new Reply(m, StageCalls.outcome(r));
    });
  }

  private static CompletionStage<Reply> batch(StageCalls calls, Args a, int maxFilters) {
    long start = System.nanoTime();
    List<StageJob.FilterStep> steps = new ArrayList<>();
    for (Object f : a.array(2)) {
      if (!(f instanceof String name)) {
        throw Fault.typeError("batch_filter() argument 3 (filters) must be an array of strings, not an array holding "
            + WireType.nameOf(f));
      }
      steps.add(new StageJob.FilterStep(name, BATCH_INTENSITY));
    }
    if (steps.size() > maxFilters) {
      return CompletableFuture.completedFuture(new Reply(batchAnswer(false, "Batch filter failed: too many filters: "
          + steps.size() + " (at most " + maxFilters + " per request)", EMPTY, 0), Reply.Outcome.FAILED));
    }
    return calls.run(new StageJob.Filter(steps, true), a.bytes(0)).thenApply(r -> {
      int ms = StageCalls.millis(r, start);
      log.info("batch_filter {}: {} filters on {}: {}", a.string(1), steps.size(), r.node(), r.ok() ? "ok" : r.message());
      return r.ok()
          ? Reply.ok(batchAnswer(true, "Applied " + steps.size() + " filters", StageCalls.bytes(r), ms))
          : new Reply(batchAnswer(false, StageCalls.failure("Batch filter failed: ", r), EMPTY, ms), StageCalls.outcome(r));
    });
  }

  private static Map<String, Object> batchAnswer(boolean ok, String message, byte[] image, int ms) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("success", ok);
    m.put("message", message);
    m.put("filtered_image", image);
    m.put("total_processing_time_ms", ms);
    return m;
  }
}
