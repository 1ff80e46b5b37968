package org.imgpipe.bench;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * This JVM's resources, for a node embedded in the bench process: process CPU time from the
 * OperatingSystemMXBean, heap in use from the MemoryMXBean, RSS from /proc/self. The CPU time then
 * includes the bench client's own XML-RPC work; the report says so.
 */
public final class JvmProbe implements ResourceProbe {

  private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
  private final java.lang.management.OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
  private final ProcProbe self = ProcProbe.self();

  @Override
  public Reading read() {
    long cpu = os instanceof com.sun.management.OperatingSystemMXBean sun ? sun.getProcessCpuTime() : -1;
    return new Reading(cpu, memory.getHeapMemoryUsage().getUsed(), self.rss());
  }

  @Override
  public void startRun() {
    self.startRun();
  }

  @Override
  public long kernelPeakRssBytes() {
    return self.kernelPeakRssBytes();
  }

  @Override
  public String describe() {
    return "this JVM (embedded node; CPU includes the bench client)";
  }
}
