package org.imgpipe.reliability;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

/** Measured results, one line per case, appended to target/reliability/results.txt (docs/reliability.md's source). */
final class Report {

  private Report() {}

  static synchronized void result(String testCase, String measured) {
    String line = Instant.now() + " | " + (Sizes.isLong() ? "long" : "ci") + " | " + testCase + " | " + measured;
    System.out.println("RESULT " + line);
    try {
      Files.writeString(NodeProcess.logDir().resolve("results.txt"), line + "\n", StandardCharsets.UTF_8,
          StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    } catch (IOException e) {
      // the console line is enough
    }
  }
}
