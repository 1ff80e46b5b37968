package org.imgpipe.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** What the bench ran on, for the report: CPU model and cores, memory, OS, JVM, and the load average. */
public record Machine(String cpu, int cores, long memoryBytes, String os, String jvm) {

  public static Machine current() {
    String cpu = "unknown CPU";
    long mem = -1;
    try {
      for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
        if (l.startsWith("model name")) {
          cpu = l.substring(l.indexOf(':') + 1).trim();
          break;
        }
      }
      mem = ProcProbe.parseStatusKb(Files.readAllLines(Path.of("/proc/meminfo")), "MemTotal:");
    } catch (IOException | RuntimeException e) {
      // not Linux: keep the defaults
    }
    return new Machine(cpu, Runtime.getRuntime().availableProcessors(), mem,
        System.getProperty("os.name") + " " + System.getProperty("os.version"),
        System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version"));
  }

  /** The 1, 5 and 15 minute load averages as /proc/loadavg gives them, or "n/a". */
  public static String loadAverage() {
    try {
      String[] f = Files.readString(Path.of("/proc/loadavg")).trim().split("\\s+");
      return String.join(" ", List.of(f[0], f[1], f[2]));
    } catch (IOException | RuntimeException e) {
      return "n/a";
    }
  }

  public String describe() {
    return cores + " cores (" + cpu + "), "
        + (memoryBytes > 0 ? String.format(java.util.Locale.ROOT, "%.1f GiB", memoryBytes / 1073741824.0) : "? GiB")
        + ", " + os + ", " + jvm;
  }
}
