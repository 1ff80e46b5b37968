package org.imgpipe.bridge;

/** What a remote method answers, with the outcome the metrics count. */
public record Reply(Object value, Outcome outcome) {

  /** ok: done; failed: the original's success=false struct; busy: refused because the pool was full. */
  public enum Outcome {
    OK, FAILED, BUSY;

    public String tag() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  public static Reply ok(Object value) {
    return new Reply(value, Outcome.OK);
  }
}
