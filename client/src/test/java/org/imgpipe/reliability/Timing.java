package org.imgpipe.reliability;

import java.time.Duration;
import java.util.concurrent.Callable;

/**
 * Bounded waits. {@code -Dimgpipe.reliability.time-scale=3} stretches every wait (a machine much slower or
 * busier than usual); it never removes a bound.
 */
final class Timing {

  private Timing() {}

  static double scale() {
    try {
      return Math.max(0.1, Double.parseDouble(System.getProperty("imgpipe.reliability.time-scale", "1")));
    } catch (NumberFormatException e) {
      return 1;
    }
  }

  static Duration scaled(Duration d) {
    return Duration.ofMillis((long) (d.toMillis() * scale()));
  }

  /** Polls {@code condition} every {@code every} until it is true; false when {@code timeout} passed. */
  static boolean await(Duration timeout, Duration every, Callable<Boolean> condition) throws Exception {
    long deadline = System.nanoTime() + scaled(timeout).toNanos();
    while (true) {
      try {
        if (Boolean.TRUE.equals(condition.call())) {
          return true;
        }
      } catch (java.io.IOException e) {
        // not answering yet
      }
      if (System.nanoTime() > deadline) {
        return false;
      }
      Thread.sleep(every.toMillis());
    }
  }
}
