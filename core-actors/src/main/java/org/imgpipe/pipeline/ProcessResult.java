package org.imgpipe.pipeline;

/** The answer of process_image: the original's struct, with the image bytes (empty on failure). */
public record ProcessResult(boolean success, String message, String processId, byte[] image, PipelineStats stats) {}
