package org.imgpipe.demo;

import java.util.Map;

/**
 * The orchestrator's process_image, as the batch runner calls it: an XML-RPC client in production, a
 * stub in tests. Returns the original's answer struct (success, message, process_id, processed_image,
 * stats); transport problems are thrown.
 */
@FunctionalInterface
public interface PipelineService {
  Map<String, Object> processImage(String filename, byte[] image, Map<String, Object> options) throws Exception;
}
