package org.imgpipe.bridge;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.imgpipe.pipeline.StageJob;
import org.imgpipe.pipeline.StageResult;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Watermark service (port 50054): add_text_watermark and add_logo_watermark, answering PNG. */
final class WatermarkService {

  private static final Logger log = LoggerFactory.getLogger(WatermarkService.class);
  private static final byte[] EMPTY = new byte[0];

  private WatermarkService() {}

  static MethodTable table(StageCalls calls, int maxTextChars) {
    return new MethodTable("WatermarkService", List.of(
        new RemoteMethod("add_text_watermark",
            List.of(Param.base64("image_data"), Param.string("image_id"), Param.string("text"),
                Param.string("position"), Param.integer("font_size"), Param.string("color"), Param.decimal("opacity")),
            WireType.STRUCT,
            "Draw text at a position (top-left, top-right, bottom-left, bottom-right, center; 20 px margin) in a "
                + "colour (#RGB, #RRGGBB, #RRGGBBAA or a CSS name) at font_size pixels and an opacity 0..1; answers PNG.",
            a -> text(calls, a, maxTextChars)),
        new RemoteMethod("add_logo_watermark",
            List.of(Param.base64("image_data"), Param.string("image_id"), Param.base64("logo_data"),
                Param.string("position"), Param.decimal("scale"), Param.decimal("opacity")),
            WireType.STRUCT,
            "Paste a logo scaled to scale x the image width at a position (20 px margin) with an opacity 0..1; "
                + "answers PNG.",
            a -> logo(calls, a))));
  }

  private static CompletionStage<Reply> text(StageCalls calls, Args a, int maxTextChars) {
    long start = System.nanoTime();
    String text = a.string(2);
    if (text.length() > maxTextChars) {
      return CompletableFuture.completedFuture(new Reply(answer(false, "Watermark failed: the text is "
          + text.length() + " characters long (at most " + maxTextChars + ")", EMPTY, 0), Reply.Outcome.FAILED));
    }
    StageJob job = new StageJob.TextWatermark(text, a.string(3), a.integer(4), a.string(5), a.decimal(6), true);
    return calls.run(job, a.bytes(0))
        .thenApply(r -> reply(a.string(1), "add_text_watermark", "Text watermark added", "Watermark failed: ", r, start));
  }

  private static CompletionStage<Reply> logo(StageCalls calls, Args a) {
    long start = System.nanoTime();
    StageJob job = new StageJob.LogoWatermark(a.bytes(2), a.string(3), a.decimal(4), a.decimal(5));
    return calls.run(job, a.bytes(0)).thenApply(
        r -> reply(a.string(1), "add_logo_watermark", "Logo watermark added", "Logo watermark failed: ", r, start));
  }

  private static Reply reply(String id, String method, String done, String prefix, StageResult r, long start) {
    int ms = StageCalls.millis(r, start);
    log.info("{} {}: {} on {}", method, id, r.ok() ? done : r.message(), r.node());
    return r.ok()
        ? Reply.ok(answer(true, done, StageCalls.bytes(r), ms))
        : new Reply(answer(false, StageCalls.failure(prefix, r), EMPTY, ms), StageCalls.outcome(r));
  }

  private static Map<String, Object> answer(boolean ok, String message, byte[] image, int ms) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("success", ok);
    m.put("message", message);
    m.put("watermarked_image", image);
    m.put("processing_time_ms", ms);
    return m;
  }
}
