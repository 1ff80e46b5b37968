package org.imgpipe.bridge;

import akka.actor.typed.ActorSystem;
import akka.actor.typed.javadsl.AskPattern;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import org.imgpipe.pipeline.ImagePayload;
import org.imgpipe.pipeline.PipelineNode;
import org.imgpipe.pipeline.StageJob;
import org.imgpipe.pipeline.StagePool;
import org.imgpipe.pipeline.StageResult;

/**
 * Sends single-stage calls to this node's pool of the stage, which runs them on a slot anywhere in the
 * cluster. The pool answers every job by its deadline (TIMEOUT at the latest); the ask waits a little
 * longer, only as a guard against a lost answer.
 */
final class StageCalls {

  private static final Duration ASK_SLACK = Duration.ofSeconds(5);

  private final ActorSystem<?> system;
  private final PipelineNode node;
  private final Duration deadline;

  StageCalls(ActorSystem<?> system, PipelineNode node, Duration deadline) {
    this.system = system;
    this.node = node;
    this.deadline = deadline;
  }

  CompletionStage<StageResult> run(StageJob job, byte[] image) {
    return AskPattern.<StagePool.Command, StageResult>ask(node.pool(job.stage()),
            replyTo -> new StagePool.Submit(job, new ImagePayload.Encoded(image), replyTo, deadline),
            deadline.plus(ASK_SLACK), system.scheduler())
        .exceptionally(error -> new StageResult(StageResult.Status.TIMEOUT, job.stage().label()
            + " gave no answer within " + deadline.plus(ASK_SLACK).toMillis() + " ms", null, 0, 0, 0, 0, 0, ""));
  }

  /** The encoded bytes of an OK result (single calls always ask for encoded answers). */
  static byte[] bytes(StageResult r) {
    if (r.image() instanceof ImagePayload.Encoded e) {
      return e.bytes();
    }
    throw new IllegalStateException("the stage answered a decoded image to a single call");
  }

  /**
   * The failure message: the original's "X failed: " prefix before the pipeline's text, except for "busy"
   * answers, which say so themselves (as process_image reports them).
   */
  static String failure(String prefix, StageResult r) {
    return r.status() == StageResult.Status.BUSY ? r.message() : prefix + r.message();
  }

  static Reply.Outcome outcome(StageResult r) {
    return r.status() == StageResult.Status.BUSY ? Reply.Outcome.BUSY : Reply.Outcome.FAILED;
  }

  /** processing_time_ms: the slot's work time when a slot ran the job, else the time waited here. */
  static int millis(StageResult r, long startNanos) {
    long ms = r.workMillis() > 0 || !r.node().isEmpty() ? r.workMillis() : (System.nanoTime() - startNanos) / 1_000_000;
    return (int) Math.min(Integer.MAX_VALUE, ms);
  }
}
