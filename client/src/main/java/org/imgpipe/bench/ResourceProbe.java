package org.imgpipe.bench;

/**
 * Reads the resource use of the node serving a bench: its CPU time so far, heap in use and resident set
 * size now. Implementations: {@link ProcProbe} (another process, by pid, through /proc and jstat) and
 * {@link JvmProbe} (this JVM, for an embedded node). Values not available are -1.
 */
public interface ResourceProbe extends AutoCloseable {

  /** One reading. */
  record Reading(long cpuNanos, long heapUsedBytes, long rssBytes) {}

  Reading read();

  /** What is measured, for the report: "pid 1234 (/proc, jstat)", "this JVM (embedded node)". */
  String describe();

  /** Called when a run starts: resets peak counters that can be reset (the kernel's VmHWM). */
  default void startRun() {}

  /** Peak RSS since {@link #startRun()} as the kernel counts it, or -1 when unknown. */
  default long kernelPeakRssBytes() {
    return -1;
  }

  @Override
  default void close() {}

  /** Nothing measured (the node is on another machine). */
  ResourceProbe NONE = new ResourceProbe() {
    @Override
    public Reading read() {
      return new Reading(-1, -1, -1);
    }

    @Override
    public String describe() {
      return "not measured (node not on this machine)";
    }
  };
}
