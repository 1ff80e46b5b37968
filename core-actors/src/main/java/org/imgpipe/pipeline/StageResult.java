package org.imgpipe.pipeline;

/**
 * The answer of a stage pool to one job. {@code message} never carries a "X failed: " prefix; {@code node}
 * is the host:port of the serving node's service for that stage (empty when no slot ran the job).
 */
public record StageResult(
    Status status,
    String message,
    ImagePayload image,
    int width,
    int height,
    int sourceWidth,
    int sourceHeight,
    long workMillis,
    String node) {

  /**
   * OK: done; FAILED: the work failed or could not be delivered; BUSY: queue full; TIMEOUT: deadline passed;
   * INPUT_LOST: the job's input was held by a node that is gone (the orchestrator starts again from the
   * client's bytes); NODE_LOST: the node running the job was lost together with its input (the same, and
   * it counts towards the poison rule); POISON: nodes were lost while running this job more often than
   * allowed, and its image is refused for a while.
   */
  public enum Status { OK, FAILED, BUSY, TIMEOUT, INPUT_LOST, NODE_LOST, POISON }

  public boolean ok() {
    return status == Status.OK;
  }

  static StageResult failure(Status status, String message, long workMillis, String node) {
    return new StageResult(status, message, null, 0, 0, 0, 0, workMillis, node);
  }
}
