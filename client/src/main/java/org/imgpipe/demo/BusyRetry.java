package org.imgpipe.demo;

import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Bounded retry with exponential backoff for "busy" answers (a full stage queue): at most
 * {@code maxAttempts} calls, waiting {@code firstDelay}, then twice as long each time up to
 * {@code maxDelay}, with a little jitter so concurrent clients do not retry in step.
 */
public record BusyRetry(int maxAttempts, Duration firstDelay, Duration maxDelay) {

  /** Six attempts, 100 ms doubling to 2 s: at most about 5 s of waiting per image. */
  public static final BusyRetry DEFAULT = new BusyRetry(6, Duration.ofMillis(100), Duration.ofSeconds(2));
  public static final BusyRetry NONE = new BusyRetry(1, Duration.ZERO, Duration.ZERO);

  public BusyRetry {
    if (maxAttempts < 1) {
      throw new IllegalArgumentException("maxAttempts must be at least 1");
    }
  }

  /** Whether an answer's message says the node was too busy to take the work (worth retrying). */
  public static boolean isBusy(String message) {
    if (message == null) {
      return false;
    }
    String m = message.toLowerCase(Locale.ROOT);
    return m.contains("busy") || m.contains("too many requests") || m.contains("queue is full");
  }

  /** The wait before attempt {@code attempt + 1} (attempt counts from 1). */
  public Duration delayAfter(int attempt) {
    long base = firstDelay.toMillis() << Math.min(20, attempt - 1);
    long capped = Math.min(base, maxDelay.toMillis());
    long jitter = capped <= 1 ? 0 : ThreadLocalRandom.current().nextLong(capped / 4 + 1);
    return Duration.ofMillis(capped - jitter);
  }
}
