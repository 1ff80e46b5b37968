package org.imgpipe.bridge;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.imgpipe.pipeline.JobStatus;
import org.imgpipe.pipeline.Orchestration;
import org.imgpipe.pipeline.PipelineNode;
import org.imgpipe.pipeline.ProcessOptions;
import org.imgpipe.pipeline.ProcessResult;

/** The Orchestrator service (port 50055): process_image and get_processing_status. */
final class OrchestratorService {

  /** How long past the request deadline the bridge still waits for the orchestrator's own answer. */
  private static final Duration ASK_SLACK = Duration.ofSeconds(5);

  private OrchestratorService() {}

  static MethodTable table(ActorSystem<?> system, PipelineNode node, Duration deadline, Duration statusLookup) {
    return new MethodTable("OrchestratorService", List.of(
        new RemoteMethod("process_image",
            List.of(Param.string("filename"), Param.base64("image_data"), Param.struct("options")),
            WireType.STRUCT,
            "Run an image through resize, filters, watermark and format, as the options say (target_width, "
                + "target_height, filters, add_watermark, watermark_text, watermark_position, output_format, "
                + "output_quality; extensions: filter_intensity, watermark_font_size, watermark_color, "
                + "watermark_opacity, maintain_aspect_ratio, timeout_ms). Answers success, message, process_id, "
                + "processed_image and stats.",
            a -> process(system, node, deadline, a)),
        new RemoteMethod("get_processing_status",
            List.of(Param.any("process_id")),
            WireType.STRUCT,
            "The status of a process_image job by its process_id: queued, resizing, filtering, watermarking, "
                + "formatting, completed, failed, or unknown.",
            a -> status(system, node, statusLookup, a))));
  }

  private static CompletionStage<Reply> process(ActorSystem<?> system, PipelineNode node, Duration deadline, Args a) {
    ProcessOptions options;
    try {
      options = ProcessOptions.parse(a.struct(2));
    } catch (IllegalArgumentException e) {
      // The original answered bad option values with its failure struct, not a fault.
      return CompletableFuture.completedFuture(new Reply(answer(new ProcessResult(false, "Invalid options: "
          + e.getMessage(), UUID.randomUUID().toString(), new byte[0], null)), Reply.Outcome.FAILED));
    }
    Duration wait = (options.hasTimeout() && Duration.ofMillis(options.timeoutMs()).compareTo(deadline) < 0
        ? Duration.ofMillis(options.timeoutMs()) : deadline).plus(ASK_SLACK);
    String filename = a.string(0);
    byte[] image = a.bytes(1);
    return AskPattern.<Orchestration.Command, ProcessResult>ask(node.orchestration(),
            replyTo -> new Orchestration.Process(filename, image, options, replyTo), wait, system.scheduler())
        .handle((r, error) -> {
          if (error != null) {
            return new Reply(answer(new ProcessResult(false, "Processing failed: no answer from the orchestrator within "
                + wait.toMillis() + " ms", "", new byte[0], null)), Reply.Outcome.FAILED);
          }
          boolean busy = !r.success() && r.message() != null && r.message().contains(" busy: ");
          return new Reply(answer(r), r.success() ? Reply.Outcome.OK : busy ? Reply.Outcome.BUSY : Reply.Outcome.FAILED);
        });
  }

  private static Map<String, Object> answer(ProcessResult r) {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("success", r.success());
    m.put("message", r.message());
    m.put("process_id", r.processId());
    m.put("processed_image", r.success() && r.image() != null ? r.image() : new byte[0]);
    m.put("stats", r.stats() == null ? new LinkedHashMap<>() : r.stats().toOrderedMap());
    return m;
  }

  private static CompletionStage<Reply> status(ActorSystem<?> system, PipelineNode node, Duration lookup, Args a) {
    Object id = a.any(0);
    String key = id instanceof String s ? s : String.valueOf(id);
    Duration wait = lookup.plus(ASK_SLACK);
    return AskPattern.<Orchestration.Command, JobStatus>ask(node.orchestration(),
            replyTo -> new Orchestration.GetStatus(key, replyTo), wait, system.scheduler())
        .handle((s, error) -> {
          JobStatus status = error == null ? s : JobStatus.unknown(key);
          Map<String, Object> m = status.toOrderedMap();
          m.put("process_id", id); // echoed unchanged, whatever its type, as in the original
          return Reply.ok(m);
        });
  }
}
