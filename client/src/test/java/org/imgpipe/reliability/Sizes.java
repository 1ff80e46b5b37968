package org.imgpipe.reliability;

/**
 * The sizes of the reliability runs. {@code mvn verify} uses the small ones; {@code selftest/long.sh}
 * passes {@code -Dimgpipe.reliability.long=true} for the full sizes of issue 7 (and may set each one).
 */
final class Sizes {

  private Sizes() {}

  static boolean isLong() {
    return Boolean.getBoolean("imgpipe.reliability.long");
  }

  static int get(String name, int ci, int full) {
    return Integer.getInteger("imgpipe.reliability." + name, isLong() ? full : ci);
  }

  /** Images of a fault batch: 20 in CI, 60 in the long suite. */
  static int faultBatch() {
    return get("fault-batch", 20, 60);
  }

  /** Concurrent clients of the overload test: 24 in CI, 64 in the long suite. */
  static int overloadClients() {
    return get("overload-clients", 24, 64);
  }

  /** Requests each overload client sends. */
  static int overloadRequestsPerClient() {
    return get("overload-requests", 4, 4);
  }

  /** Soak length in seconds (long suite only). */
  static int soakSeconds() {
    return get("soak-seconds", 0, 600);
  }
}
