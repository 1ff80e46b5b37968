package org.imgpipe.bridge;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.imgpipe.pipeline.StageJob;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The Format service (port 50056): convert_format. */
final class FormatService {

  private static final Logger log = LoggerFactory.getLogger(FormatService.class);
  private static final byte[] EMPTY = new byte[0];

  private FormatService() {}

  static MethodTable table(StageCalls calls) {
    return new MethodTable("FormatService", List.of(
        new RemoteMethod("convert_format",
            List.of(Param.base64("image_data"), Param.string("image_id"), Param.string("format_type"),
                Param.integer("quality")),
            WireType.STRUCT,
            "Encode an image as PNG, JPEG (alias JPG), WEBP, GIF or BMP (any case); quality 1..100 for JPEG and "
                + "WEBP, anything else means 85. JPEG flattens transparency onto white.",
            a -> convert(calls, a))));
  }

  private static CompletionStage<Reply> convert(StageCalls calls, Args a) {
    long start = System.nanoTime();
    return calls.run(new StageJob.Format(a.string(2), a.integer(3)), a.bytes(0)).thenApply(r -> {
      Map<String, Object> m = new LinkedHashMap<>();
      m.put("success", r.ok());
      m.put("message", r.ok() ? "Format conversion successful" : StageCalls.failure("Format failed: ", r));
      m.put("formatted_image", r.ok() ? StageCalls.bytes(r) : EMPTY);
      m.put("processing_time_ms", StageCalls.millis(r, start));
      log.info("convert_format {}: {} ({}) on {}", a.string(1), m.get("message"), a.string(2), r.node());
      return r.ok() ? Reply.ok(m) : new Reply(m, StageCalls.outcome(r));
    });
  }
}
