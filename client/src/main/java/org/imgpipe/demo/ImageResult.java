package org.imgpipe.demo;

import java.nio.file.Path;
import java.util.Map;

/**
 * What happened to one image of a batch. Stage times are the server's stats (-1 = not reported);
 * {@code roundTripMillis} is the client's own clock around the call, busy retries included.
 *
 * @param hostMap the answer's host_map: stage label (Resize, Filter-1 (BLUR), ...) → node address
 * @param output the written file, or null when the image failed
 */
public record ImageResult(
    int index,
    String name,
    boolean success,
    String message,
    String processId,
    Path output,
    long resizeMillis,
    long filterMillis,
    long watermarkMillis,
    long formatMillis,
    long totalMillis,
    long roundTripMillis,
    long originalBytes,
    long processedBytes,
    Map<String, String> hostMap,
    int attempts) {

  public ImageResult {
    hostMap = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(hostMap));
  }

  static ImageResult failed(int index, String name, String message, long roundTripMillis, int attempts) {
    return new ImageResult(index, name, false, message, "", null, -1, -1, -1, -1, -1, roundTripMillis, -1, -1,
        Map.of(), attempts);
  }
}
