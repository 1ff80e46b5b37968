package org.imgpipe.reliability;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.imgpipe.config.ImgpipeSettings.Role;

/**
 * One imgpipe node as a separate JVM ({@code imgpipe node ...} from the built classpath), with the
 * signals the fault tests send it by pid: SIGKILL, SIGTERM, SIGSTOP and SIGCONT. Every wait is bounded.
 * The node's output goes to {@code target/reliability/<name>.log}; restarts append to it.
 */
final class NodeProcess implements AutoCloseable {

  /** The JVM options the imgpipe script gives a node by default (its default heap). */
  static final List<String> DEFAULT_JAVA_OPTS = List.of("-Xmx768m", "-XX:+UseG1GC", "-XX:G1HeapRegionSize=16m",
      "-XX:+ExitOnOutOfMemoryError");

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  final String name;
  final String host;
  final List<String> roles;
  final Net.NodePorts ports;
  private final List<String> seeds;
  private final List<String> jvmOptions;
  private final Path log;
  private Process process;
  private int starts;

  NodeProcess(String name, String host, List<String> roles, Net.NodePorts ports, List<String> seeds,
      List<String> jvmOptions) {
    this.name = name;
    this.host = host;
    this.roles = List.copyOf(roles);
    this.ports = ports;
    this.seeds = List.copyOf(seeds);
    this.jvmOptions = List.copyOf(jvmOptions);
    this.log = logDir().resolve(name + ".log");
  }

  static Path logDir() {
    Path dir = Path.of("target", "reliability");
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new IllegalStateException("cannot create " + dir, e);
    }
    return dir;
  }

  /** host:cluster-port, for other nodes' --seed-nodes. */
  String seedAddress() {
    return host + ":" + ports.cluster();
  }

  /** The first service port this node opens (for /ready, /metrics). */
  int firstPort() {
    for (Role r : List.of(Role.RESIZE, Role.FILTER, Role.WATERMARK, Role.ORCHESTRATOR, Role.FORMAT)) {
      if (roles.contains(r.configName()) || roles.contains("all")) {
        return ports.of(r);
      }
    }
    throw new IllegalStateException(name + " has no service role");
  }

  int port(Role r) {
    return ports.of(r);
  }

  /** Starts the JVM (again, after a kill). Returns at once; see {@link #awaitReady(Duration)}. */
  synchronized NodeProcess start() throws IOException {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running");
    }
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.addAll(DEFAULT_JAVA_OPTS);
    cmd.add("-Djava.awt.headless=true");
    cmd.addAll(jvmOptions);
    cmd.add("-cp");
    cmd.add(childClassPath());
    cmd.add("org.imgpipe.cli.ImgpipeCli");
    cmd.add("node");
    cmd.add("--roles");
    cmd.add(String.join(",", roles));
    cmd.add("--host");
    cmd.add(host);
    cmd.add("--cluster-port");
    cmd.add(String.valueOf(ports.cluster()));
    if (!seeds.isEmpty()) {
      cmd.add("--seed-nodes");
      cmd.add(String.join(",", seeds));
    }
    cmd.add("--join-timeout");
    cmd.add(Timing.scaled(Duration.ofSeconds(120)).toSeconds() + "s");
    for (Map.Entry<Role, Integer> e : ports.services().entrySet()) {
      cmd.add("--" + e.getKey().configName() + "-port");
      cmd.add(String.valueOf(e.getValue()));
    }
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
    pb.environment().keySet().removeIf(k -> k.startsWith("IMGPIPE_"));
    pb.environment().put("IMGPIPE_DEBUG", "1");
    Files.writeString(log, "=== start " + (++starts) + " of " + name + ": " + String.join(" ", cmd.subList(0, 3))
        + " ... " + String.join(" ", cmd.subList(cmd.indexOf("node"), cmd.size())) + "\n",
        StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
    process = pb.start();
    return this;
  }

  /** Waits until GET /ready answers 200; fails at once if the JVM exits. */
  NodeProcess awaitReady(Duration timeout) throws Exception {
    long deadline = System.nanoTime() + Timing.scaled(timeout).toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new AssertionError(name + " exited with " + process.exitValue() + " before it was ready:\n" + logTail(40));
      }
      if (readyStatus() == 200) {
        return this;
      }
      Thread.sleep(250);
    }
    throw new AssertionError(name + " was not ready within " + Timing.scaled(timeout).toSeconds() + " s:\n"
        + logTail(40));
  }

  /** HTTP status of GET /ready, or -1 when nothing answers. */
  int readyStatus() {
    try {
      return get("/ready").statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + firstPort() + path))
        .timeout(Duration.ofSeconds(10)).GET().build(), HttpResponse.BodyHandlers.ofString());
  }

  /** The node's /metrics text. */
  String metrics() throws IOException, InterruptedException {
    HttpResponse<String> r = get("/metrics");
    if (r.statusCode() != 200) {
      throw new IOException(name + " /metrics answered " + r.statusCode());
    }
    return r.body();
  }

  /** Sum of every sample of {@code metric} whose labels contain all of {@code labels} ("k=\"v\""). */
  static double sum(String metrics, String metric, String... labels) {
    double total = 0;
    Pattern p = Pattern.compile("^" + Pattern.quote(metric) + "(\\{[^}]*\\})?\\s+(\\S+)$", Pattern.MULTILINE);
    Matcher m = p.matcher(metrics);
    while (m.find()) {
      String l = m.group(1) == null ? "" : m.group(1);
      boolean all = true;
      for (String want : labels) {
        if (!l.contains(want)) {
          all = false;
          break;
        }
      }
      if (all) {
        total += Double.parseDouble(m.group(2));
      }
    }
    return total;
  }

  long pid() {
    return process.pid();
  }

  boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** kill -9. */
  void kill9() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(Timing.scaled(Duration.ofSeconds(20)).toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not die after SIGKILL");
    }
  }

  /** SIGTERM (graceful leave); does not wait. */
  void term() {
    process.destroy();
  }

  /** SIGSTOP: the JVM is frozen, its sockets stay open. */
  void pause() throws IOException, InterruptedException {
    signal("STOP");
  }

  /** SIGCONT. */
  void resume() throws IOException, InterruptedException {
    signal("CONT");
  }

  private void signal(String sig) throws IOException, InterruptedException {
    Process k = new ProcessBuilder("kill", "-" + sig, String.valueOf(process.pid())).redirectErrorStream(true).start();
    if (!k.waitFor(10, TimeUnit.SECONDS) || k.exitValue() != 0) {
      k.destroyForcibly();
      throw new IOException("kill -" + sig + " " + process.pid() + " failed");
    }
  }

  /** Waits for the JVM to exit and returns its exit code. */
  int awaitExit(Duration timeout) throws InterruptedException {
    if (!process.waitFor(Timing.scaled(timeout).toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError(name + " did not exit within " + Timing.scaled(timeout).toSeconds() + " s:\n"
          + logTail(30));
    }
    return process.exitValue();
  }

  /** Peak resident set size of the running JVM in KiB (VmHWM), or -1 when unknown. */
  long peakRssKib() {
    return procStatus("VmHWM");
  }

  long rssKib() {
    return procStatus("VmRSS");
  }

  private long procStatus(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(process.pid()), "status"))) {
        if (line.startsWith(key + ":")) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }

  String logText() {
    try {
      return Files.readString(log, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  String logTail(int lines) {
    String[] all = logText().split("\n");
    StringBuilder b = new StringBuilder();
    for (int i = Math.max(0, all.length - lines); i < all.length; i++) {
      b.append("  | ").append(all[i]).append('\n');
    }
    return b.toString();
  }

  /** Kills the JVM if it still runs (resuming it first in case it is stopped). */
  @Override
  public synchronized void close() {
    if (process == null || !process.isAlive()) {
      return;
    }
    try {
      signal("CONT");
    } catch (IOException | InterruptedException ignored) {
      // killing it anyway
    }
    process.destroyForcibly();
    try {
      process.waitFor(20, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public String toString() {
    return name + "@" + host;
  }

  private static String childCp;

  /**
   * The runtime classpath of a node: this test JVM's classpath (Surefire's manifest jar resolved)
   * without test classes, so the node runs the main code with its own logback.xml.
   */
  static synchronized String childClassPath() {
    if (childCp != null) {
      return childCp;
    }
    List<String> entries = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      entries.addAll(expandManifest(e));
    }
    List<String> keep = new ArrayList<>();
    for (String e : entries) {
      String n = e.replace('\\', '/');
      if (n.endsWith("/test-classes") || n.endsWith("/test-classes/") || n.endsWith("-tests.jar")
          || n.contains("junit") || n.contains("opentest4j") || n.contains("surefire") || n.contains("apiguardian")) {
        continue;
      }
      keep.add(e);
    }
    childCp = String.join(File.pathSeparator, keep);
    return childCp;
  }

  private static List<String> expandManifest(String entry) {
    if (!entry.contains("surefirebooter") || !entry.endsWith(".jar")) {
      return List.of(entry);
    }
    try (JarFile jar = new JarFile(entry)) {
      Manifest mf = jar.getManifest();
      String cp = mf == null ? null : mf.getMainAttributes().getValue("Class-Path");
      if (cp == null) {
        return List.of(entry);
      }
      List<String> out = new ArrayList<>();
      for (String url : cp.trim().split("\\s+")) {
        out.add(Path.of(URI.create(url)).toString());
      }
      return out;
    } catch (IOException | RuntimeException e) {
      return List.of(entry);
    }
  }
}
