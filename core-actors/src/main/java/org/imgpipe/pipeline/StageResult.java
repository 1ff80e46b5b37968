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

  /** OK: done; FAILED: the work failed or could not be delivered; BUSY: queue full; TIMEOUT: deadline passed. */
  public enum Status { OK, FAILED, BUSY, TIMEOUT }

  public boolean ok() {
    return status == Status.OK;
  }

  static StageResult failure(Status status, String message, long workMillis, String node) {
    return new StageResult(status, message, null, 0, 0, 0, 0, workMillis, node);
  }
}
