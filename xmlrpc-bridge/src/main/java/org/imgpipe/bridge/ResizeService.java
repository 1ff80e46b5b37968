package org.imgpipe.bridge;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imgpipe.pipeline.StageJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Resize service (port 50052): resize_image and get_thumbnail, with the original's structs. */
final class ResizeService {

  private static final Logger log = LoggerFactory.getLogger(ResizeService.class);
  private static final byte[] EMPTY = new byte[0];

  private ResizeService() {}

  static MethodTable table(StageCalls calls) {
    return new MethodTable("ResizeService", List.of(
        new RemoteMethod("resize_image",
            List.of(Param.base64("image_data"), Param.string("image_id"), Param.integer("target_width"),
                Param.integer("target_height"), Param.bool("maintain_aspect_ratio")),
            WireType.STRUCT,
            "Resize an image. With maintain_aspect_ratio it fits the targets (a target <= 0 follows the other); "
                + "without it, each target <= 0 keeps the original dimension. The answer keeps the input's format.",
            a -> resize(calls, a)),
        new RemoteMethod("get_thumbnail",
            List.of(Param.base64("image_data"), Param.string("image_id"), Param.integer("size")),
            WireType.STRUCT,
            "Shrink an image to fit in size x size, keeping its aspect ratio and never enlarging it; answers PNG.",
            a -> thumbnail(calls, a))));
  }

  private static java.util.concurrent.CompletionStage<Reply> resize(StageCalls calls, Args a) {
    long start = System.nanoTime();
    String id = a.string(1);
    return calls.run(new StageJob.Resize(a.integer(2), a.integer(3), a.bool(4), true), a.bytes(0)).thenApply(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      if (r.ok()) {
        m.put("success", true);
        m.put("message", "Resized from " + r.sourceWidth() + "x" + r.sourceHeight() + " to " + r.width() + "x"
            + r.height());
        m.put("resized_image", StageCalls.bytes(r));
        m.put("new_width", r.width());
        m.put("new_height", r.height());
        m.put("processing_time_ms", StageCalls.millis(r, start));
        log.info("resize_image {}: {} on {} in {} ms", id, m.get("message"), r.node(), r.workMillis());
        return Reply.ok(m);
      }
      m.put("success", false);
      m.put("message", StageCalls.failure("Resize failed: ", r));
      m.put("resized_image", EMPTY);
      m.put("processing_time_ms", StageCalls.millis(r, start));
      log.info("resize_image {}: {}", id, m.get("message"));
      return new Reply(m, StageCalls.outcome(r));
    });
  }

  private static java.util.concurrent.CompletionStage<Reply> thumbnail(StageCalls calls, Args a) {
    String id = a.string(1);
    return calls.run(new StageJob.Thumbnail(a.integer(2)), a.bytes(0)).thenApply(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      if (r.ok()) {
        m.put("data", StageCalls.bytes(r));
        m.put("width", r.width());
        m.put("height", r.height());
        m.put("format", "PNG");
        log.info("get_thumbnail {}: {}x{} on {} in {} ms", id, r.width(), r.height(), r.node(), r.workMillis());
        return Reply.ok(m);
      }
      // The original's struct has no message: the reason goes to the log only.
      m.put("data", EMPTY);
      m.put("width", 0);
      m.put("height", 0);
      m.put("format", "ERROR");
      log.info("get_thumbnail {}: {}", id, StageCalls.failure("Thumbnail failed: ", r));
      return new Reply(m, StageCalls.outcome(r));
    });
  }
}
