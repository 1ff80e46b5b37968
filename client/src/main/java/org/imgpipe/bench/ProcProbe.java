package org.imgpipe.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Another process's resources through Linux's /proc: CPU time (utime + stime of /proc/PID/stat), RSS
 * (VmRSS of /proc/PID/status) and the kernel's peak RSS (VmHWM, reset per run through clear_refs when
 * allowed). For a JVM, heap in use comes from a {@code jstat -gc PID 200} child that prints a line every
 * 200 ms (it reads the JVM's perf-data file: no safepoint, no attach).
 */
public final class ProcProbe implements ResourceProbe {

  /** USER_HZ: the unit of utime and stime; 100 on every Linux architecture the JDK runs on. */
  static final long CLOCK_TICKS_PER_SECOND = 100;

  private final long pid;
  private final Path proc;
  private final boolean self;
  private volatile long heapUsed = -1;
  private volatile boolean peakReset;
  private Process jstat;

  private ProcProbe(long pid, boolean self) {
    this.pid = pid;
    this.self = self;
    this.proc = Path.of("/proc", self ? "self" : Long.toString(pid));
  }

  /** The process {@code pid}; heap is sampled with jstat when {@code jvm} is set and jstat is on the PATH. */
  public static ProcProbe of(long pid, boolean jvm) {
    ProcProbe p = new ProcProbe(pid, false);
    if (jvm) {
      p.startJstat();
    }
    return p;
  }

  static ProcProbe self() {
    return new ProcProbe(ProcessHandle.current().pid(), true);
  }

  /** Whether /proc describes the process (Linux, and the process exists). */
  public boolean available() {
    return Files.isReadable(proc.resolve("stat"));
  }

  @Override
  public Reading read() {
    return new Reading(cpuNanos(), heapUsed, rss());
  }

  long cpuNanos() {
    try {
      return parseCpuTicks(Files.readString(proc.resolve("stat"))) * (1_000_000_000L / CLOCK_TICKS_PER_SECOND);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  long rss() {
    return statusKb("VmRSS:");
  }

  @Override
  public void startRun() {
    try {
      Files.writeString(proc.resolve("clear_refs"), "5"); // resets VmHWM to the current RSS
      peakReset = true;
    } catch (IOException | RuntimeException e) {
      peakReset = false;
    }
  }

  @Override
  public long kernelPeakRssBytes() {
    return peakReset ? statusKb("VmHWM:") : -1;
  }

  private long statusKb(String key) {
    try {
      return parseStatusKb(Files.readAllLines(proc.resolve("status")), key);
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** utime + stime, in clock ticks, from a /proc/PID/stat line (fields 14 and 15, counted after the name). */
  static long parseCpuTicks(String stat) {
    // The name (field 2) is in parentheses and may hold spaces: count fields after the last ')'.
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split("\\s+");
    // f[0] is field 3 (state), so field n is f[n - 3].
    return Long.parseLong(f[11]) + Long.parseLong(f[12]);
  }

  /** The value of a "Key:   1234 kB" line of /proc/PID/status, in bytes; -1 when absent. */
  static long parseStatusKb(List<String> lines, String key) {
    for (String l : lines) {
      if (l.startsWith(key)) {
        String[] f = l.substring(key.length()).trim().split("\\s+");
        return Long.parseLong(f[0]) * 1024;
      }
    }
    return -1;
  }

  /**
   * Heap in use, in bytes, from one data line of {@code jstat -gc} under its header line: the survivor,
   * eden and old "U" (used, KiB) columns added up. -1 when the line does not parse.
   */
  static long parseJstatUsed(String header, String line) {
    String[] h = header.trim().split("\\s+");
    String[] v = line.trim().split("\\s+");
    if (h.length != v.length) {
      return -1;
    }
    double kb = 0;
    int found = 0;
    for (int i = 0; i < h.length; i++) {
      if (List.of("S0U", "S1U", "EU", "OU").contains(h[i])) {
        try {
          kb += Double.parseDouble(v[i]);
          found++;
        } catch (NumberFormatException e) {
          return -1;
        }
      }
    }
    return found == 4 ? (long) (kb * 1024) : -1;
  }

  private void startJstat() {
    try {
      jstat = new ProcessBuilder("jstat", "-gc", Long.toString(pid), "200").redirectErrorStream(true).start();
    } catch (IOException e) {
      return; // no jstat: heap stays unknown
    }
    Thread t = new Thread(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(jstat.getInputStream(), StandardCharsets.US_ASCII))) {
        String header = null;
        String line;
        while ((line = r.readLine()) != null) {
          if (line.contains("S0U")) {
            header = line;
          } else if (header != null) {
            long used = parseJstatUsed(header, line);
            if (used >= 0) {
              heapUsed = used;
            }
          }
        }
      } catch (IOException e) {
        // the child ended
      }
    }, "imgpipe-bench-jstat");
    t.setDaemon(true);
    t.start();
  }

  @Override
  public String describe() {
    return self ? "this process (/proc/self)"
        : "node pid " + pid + " (/proc" + (jstat != null ? ", heap by jstat" : "") + ")";
  }

  @Override
  public void close() {
    if (jstat != null) {
      jstat.destroy();
    }
  }

  /**
   * The pid of the process listening on {@code host:port} (TCP, IPv4 or IPv6), found through
   * /proc/net/tcp* and the processes' socket descriptors; -1 when not found (not Linux, not allowed,
   * or the listener is in another network namespace).
   */
  public static long listeningPid(String host, int port) {
    List<Long> inodes = new ArrayList<>();
    for (String table : List.of("/proc/net/tcp", "/proc/net/tcp6")) {
      try {
        inodes.addAll(listeningInodes(Files.readAllLines(Path.of(table)), host, port));
      } catch (IOException | RuntimeException e) {
        // table missing
      }
    }
    if (inodes.isEmpty()) {
      return -1;
    }
    try (var procs = Files.list(Path.of("/proc"))) {
      for (Path p : (Iterable<Path>) procs::iterator) {
        String name = p.getFileName().toString();
        if (!name.chars().allMatch(Character::isDigit)) {
          continue;
        }
        try (var fds = Files.list(p.resolve("fd"))) {
          for (Path fd : (Iterable<Path>) fds::iterator) {
            String target;
            try {
              target = Files.readSymbolicLink(fd).toString();
            } catch (IOException | RuntimeException e) {
              continue;
            }
            for (long inode : inodes) {
              if (target.equals("socket:[" + inode + "]")) {
                return Long.parseLong(name);
              }
            }
          }
        } catch (IOException | RuntimeException e) {
          // process gone or not ours to read
        }
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /** Socket inodes of the LISTEN rows of a /proc/net/tcp table bound to port on host (or any address). */
  static List<Long> listeningInodes(List<String> table, String host, int port) {
    List<Long> out = new ArrayList<>();
    String wantIp = hexIpv4(host);
    for (String row : table) {
      String[] f = row.trim().split("\\s+");
      if (f.length < 10 || !f[3].equals("0A") || !f[1].contains(":")) {
        continue;
      }
      String[] local = f[1].split(":");
      if (Integer.parseInt(local[1], 16) != port) {
        continue;
      }
      String ip = local[0];
      boolean any = ip.chars().allMatch(c -> c == '0');
      boolean match = any || ip.equalsIgnoreCase(wantIp) || (wantIp != null && ip.length() == 32
          && ip.toUpperCase().endsWith(wantIp.toUpperCase()) && ip.toUpperCase().startsWith("0000000000000000FFFF0000"));
      if (match) {
        out.add(Long.parseLong(f[9]));
      }
    }
    return out;
  }

  /** An IPv4 address as /proc/net/tcp writes it (little-endian hex), or null for a name or IPv6. */
  static String hexIpv4(String host) {
    String h = host.equalsIgnoreCase("localhost") ? "127.0.0.1" : host;
    String[] parts = h.split("\\.");
    if (parts.length != 4) {
      return null;
    }
    StringBuilder sb = new StringBuilder();
    for (int i = 3; i >= 0; i--) {
      int b;
      try {
        b = Integer.parseInt(parts[i]);
      } catch (NumberFormatException e) {
        return null;
      }
      sb.append(String.format("%02X", b));
    }
    return sb.toString();
  }
}
