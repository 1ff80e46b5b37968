package org.imgpipe.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProcProbeTest {

  @Test
  void cpuTicksAreUtimePlusStimeEvenWhenTheNameHoldsSpacesAndParentheses() {
    String stat = "4242 (java (imgpipe) x) S 1 4242 4242 0 -1 4194560 12345 0 7 0 1500 250 3 4 20 0 57 0 "
        + "1234 5000000000 90000 18446744073709551615 1 1 0 0 0 0 0 2 16384 0 0 0 17 1 0 0 0 0 0";
    assertEquals(1750, ProcProbe.parseCpuTicks(stat));
  }

  @Test
  void statusValuesAreReadInBytes() {
    List<String> status = List.of("Name:\tjava", "VmHWM:\t  812340 kB", "VmRSS:\t  700000 kB", "Threads:\t42");
    assertEquals(700000L * 1024, ProcProbe.parseStatusKb(status, "VmRSS:"));
    assertEquals(812340L * 1024, ProcProbe.parseStatusKb(status, "VmHWM:"));
    assertEquals(-1, ProcProbe.parseStatusKb(status, "VmSwap:"));
  }

  @Test
  void jstatHeapIsSurvivorsEdenAndOldUsedAddedUp() {
    String header = " S0C    S1C    S0U    S1U      EC       EU        OC         OU       MC     MU    CCSC   CCSU   "
        + "YGC     YGCT    FGC    FGCT     CGC    CGCT     GCT   ";
    String line = "  0.0   4096.0  0.0   4096.0 200704.0 102400.0  319488.0   150000.5  60000.0 58000.0 8000.0 "
        + "7000.0     12    0.100   0      0.000   4      0.010    0.110";
    assertEquals((long) ((4096.0 + 102400.0 + 150000.5) * 1024), ProcProbe.parseJstatUsed(header, line));
    assertEquals(-1, ProcProbe.parseJstatUsed(header, "12 34"));
  }

  @Test
  void listenRowsMatchPortAndAddressInBothTables() {
    List<String> tcp = List.of(
        "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode",
        "   0: 5A00007F:C35B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 111 1 0",
        "   1: 0100007F:C35B 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 222 1 0",
        "   2: 5A00007F:C35B 0100007F:9C40 01 00000000:00000000 00:00000000 00000000     0        0 333 1 0",
        "   3: 00000000:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 444 1 0");
    assertEquals(List.of(111L), ProcProbe.listeningInodes(tcp, "127.0.0.90", 50011));
    assertEquals(List.of(444L), ProcProbe.listeningInodes(tcp, "127.0.0.90", 8080)); // bound to any address
    List<String> tcp6 = List.of(
        "   0: 0000000000000000FFFF00005A00007F:C35B 00000000000000000000000000000000:0000 0A 0:0 0:0 0 0 0 555 1");
    assertEquals(List.of(555L), ProcProbe.listeningInodes(tcp6, "127.0.0.90", 50011));
    assertEquals("5A00007F", ProcProbe.hexIpv4("127.0.0.90"));
    assertEquals("0100007F", ProcProbe.hexIpv4("localhost"));
    assertNull(ProcProbe.hexIpv4("example.org"));
  }

  @Test
  void findsThisProcessAsTheListenerAndMeasuresItsCpu() throws Exception {
    assumeTrue(Files.isReadable(Path.of("/proc/self/stat")), "needs Linux /proc");
    try (ServerSocket s = new ServerSocket()) {
      s.bind(new InetSocketAddress("127.0.0.1", 0));
      assertEquals(ProcessHandle.current().pid(), ProcProbe.listeningPid("127.0.0.1", s.getLocalPort()));
    }
    ProcProbe p = ProcProbe.of(ProcessHandle.current().pid(), false);
    java.lang.management.ThreadMXBean threads = java.lang.management.ManagementFactory.getThreadMXBean();
    long before = p.read().cpuNanos();
    long ownStart = threads.getCurrentThreadCpuTime();
    long wallLimit = System.nanoTime() + 60_000_000_000L; // a loaded machine may give this thread little CPU
    double x = 0;
    while (threads.getCurrentThreadCpuTime() - ownStart < 300_000_000L && System.nanoTime() < wallLimit) {
      for (int i = 0; i < 10_000; i++) {
        x += Math.sqrt(x + i);
      }
    }
    long spun = threads.getCurrentThreadCpuTime() - ownStart;
    long after = p.read().cpuNanos();
    assertTrue(x > 0);
    // The process's CPU includes this thread's; /proc counts in 10 ms ticks.
    assertTrue(after - before >= spun - 20_000_000L, "process CPU " + (after - before) + " ns >= this thread's " + spun);
    assertTrue(p.read().rssBytes() > 10L << 20, "a JVM's RSS is above 10 MB");
    p.startRun();
    long peak = p.kernelPeakRssBytes();
    assertTrue(peak == -1 || peak >= p.read().rssBytes() / 2, "peak after reset is about the current RSS: " + peak);
  }
}
