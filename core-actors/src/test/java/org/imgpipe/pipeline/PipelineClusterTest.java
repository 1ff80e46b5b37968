package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.Address;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.cluster.sharding.ShardRegion;
import akka.cluster.sharding.typed.GetClusterShardingStats;
import akka.cluster.sharding.typed.javadsl.ClusterSharding;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.imgpipe.imaging.FilterType;
import org.imgpipe.imaging.ImageDecoder;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.Raster;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Three real nodes on loopback (127.0.0.2-4, cluster ports chosen by the OS): A has the orchestrator,
 * resize, watermark and format roles, B and C only filter. Slots appear only where their role is, a
 * multi-megabyte image crosses between nodes, and stopping C abruptly mid-batch loses no accepted job.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PipelineClusterTest {

  private TestNode a;
  private TestNode b;
  private TestNode c;
  private ScriptedWork workA;
  private ScriptedWork workB;
  private ScriptedWork workC;
  private Address cAddress;

  @BeforeAll
  void startCluster() {
    a = TestNode.start("127.0.0.2", "orchestrator, resize, watermark, format", null, "", s -> workA = new ScriptedWork(s),
        false);
    b = TestNode.start("127.0.0.3", "filter", a, "", s -> workB = new ScriptedWork(s), false);
    c = TestNode.start("127.0.0.4", "filter", a, "", s -> workC = new ScriptedWork(s), true);
    TestNode.awaitTrue(Duration.ofSeconds(90), () -> a.upMembers() == 3 && b.upMembers() == 3 && c.upMembers() == 3,
        "three nodes did not come up");
    a.awaitReady(Duration.ofSeconds(30));
    cAddress = address(c);
  }

  @AfterAll
  void stopCluster() {
    for (TestNode n : new TestNode[] {c, b, a}) {
      if (n != null) {
        try {
          n.close();
        } catch (RuntimeException e) {
          // already stopped (C is stopped by a test)
        }
      }
    }
  }

  private static Raster noise(int w, int h, long seed) {
    Random rnd = new Random(seed);
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) {
      px[i] = 0xFF000000 | rnd.nextInt(0x1000000);
    }
    return new Raster(px, w, h, false);
  }

  private static Raster negative(Raster r) throws Exception {
    return FilterType.NEGATIVE.withIntensity(1.0).apply(r);
  }

  private Map<Address, ShardRegion.ShardRegionStats> regions(TestNode from, Stage stage) {
    TestProbe<ShardRegion.ClusterShardingStats> probe = from.kit.createTestProbe();
    ClusterSharding.get(from.system()).shardState().tell(
        new GetClusterShardingStats(StageSlot.typeKey(stage), Duration.ofSeconds(3), probe.getRef()));
    return probe.receiveMessage(Duration.ofSeconds(10)).getRegions();
  }

  private static Address address(TestNode n) {
    return Cluster.get(n.system()).selfMember().address();
  }

  @Test
  @Order(1)
  void slotsLiveOnlyOnNodesWithTheirRoleAndAnImageOfMoreThan8MbCrossesBetweenNodes() throws Exception {
    Raster big = noise(1700, 1700, 1);
    byte[] png = TestImages.png(big);
    assertTrue(png.length >= 8 * 1024 * 1024, "test image is only " + png.length + " bytes");

    TestProbe<ProcessResult> probe = a.kit.createTestProbe();
    a.pipeline.orchestration().tell(new Orchestration.Process("big.png", png,
        ProcessOptions.parse(Map.of("filters", new Object[] {"NEGATIVE"})), probe.getRef()));
    ProcessResult r = probe.receiveMessage(Duration.ofSeconds(60));
    assertTrue(r.success(), r.message());
    @SuppressWarnings("unchecked")
    Map<String, String> hosts = (Map<String, String>) r.stats().toOrderedMap().get("host_map");
    String filterHost = hosts.get("Filter-1 (NEGATIVE)");
    assertTrue(filterHost.equals("127.0.0.3:50053") || filterHost.equals("127.0.0.4:50053"), hosts.toString());
    assertEquals("127.0.0.2:50056", hosts.get("Format"));
    assertEquals("127.0.0.2:50055", hosts.get("Orchestrator"));
    assertArrayEquals(negative(big).argb(), new ImageDecoder(ImagingLimits.DEFAULT).decode(r.image()).raster().argb());
    // The filter slot got the encoded 8+ MB PNG from A, and A's format slot the decoded raster back from it.
    assertEquals(ImagePayload.Encoded.class, (workB.seen.isEmpty() ? workC : workB).seen.get(0).inputType());
    assertEquals(ImagePayload.Decoded.class, workA.seen.get(workA.seen.size() - 1).inputType());

    // Enough small jobs for every slot to exist, on every stage.
    byte[] small = TestImages.png(TestImages.photoLike(40, 30, 2));
    List<TestProbe<StageResult>> probes = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      for (Stage s : List.of(Stage.FILTER, Stage.RESIZE)) {
        TestProbe<StageResult> p = a.kit.createTestProbe();
        StageJob job = s == Stage.FILTER ? new StageJob.Filter(List.of(new StageJob.FilterStep("NEGATIVE", 1)), true)
            : new StageJob.Resize(20, 0, true, true);
        b.pipeline.pool(s).tell(new StagePool.Submit(job, new ImagePayload.Encoded(small), p.getRef()));
        probes.add(p);
      }
    }
    for (TestProbe<StageResult> p : probes) {
      assertEquals(StageResult.Status.OK, p.receiveMessage(Duration.ofSeconds(30)).status());
    }
    // Asked of a node with the role: a proxy-only node has no regions to ask.
    Map<Address, ShardRegion.ShardRegionStats> filter = regions(b, Stage.FILTER);
    Set<Address> withFilterSlots = new HashSet<>();
    int filterShards = 0;
    for (var e : filter.entrySet()) {
      if (!e.getValue().getStats().isEmpty()) {
        withFilterSlots.add(e.getKey());
        filterShards += e.getValue().getStats().size();
      }
    }
    assertEquals(Set.of(address(b), address(c)), withFilterSlots, "filter slots must live on B and C only");
    assertEquals(4, filterShards);
    assertFalse(filter.containsKey(address(a)), "A must host no filter region, only a proxy");
    Map<Address, ShardRegion.ShardRegionStats> resize = regions(a, Stage.RESIZE);
    for (var e : resize.entrySet()) {
      if (!e.getKey().equals(address(a))) {
        assertTrue(e.getValue().getStats().isEmpty(), "resize slot outside A: " + e);
      }
    }
    assertFalse(resize.get(address(a)).getStats().isEmpty());
    assertEquals(0, workA.count(Stage.FILTER), "A has no filter role and must run no filter job");
    assertEquals(0, workB.count(Stage.RESIZE) + workC.count(Stage.RESIZE));

    // An image above the large-message frame limit is refused at once, with the reason, not dropped by Artery.
    TestProbe<StageResult> tooBig = a.kit.createTestProbe();
    a.pipeline.pool(Stage.FILTER).tell(new StagePool.Submit(
        new StageJob.Filter(List.of(new StageJob.FilterStep("NEGATIVE", 1)), true),
        new ImagePayload.Encoded(new byte[65 * 1024 * 1024]), tooBig.getRef()));
    StageResult refused = tooBig.receiveMessage(Duration.ofSeconds(15));
    assertEquals(StageResult.Status.FAILED, refused.status());
    assertTrue(refused.message().startsWith("image too large to send to another node: 68157440 bytes"),
        refused.message());

    if (SerializerMeasurementTest.MEASURE) {
      measureRoundTrips();
    }
  }

  /** Wall time of one filter job sent from A to a slot on B or C, minus the slot's work time. */
  private void measureRoundTrips() throws Exception {
    List<String> lines = new ArrayList<>();
    lines.add(String.format(Locale.ROOT, "%-40s %8s %8s %10s", "A -> filter slot (B/C) -> A", "wall ms", "work ms",
        "transport"));
    StageJob job = new StageJob.Filter(List.of(new StageJob.FilterStep("NEGATIVE", 1)), false);
    for (int mb : new int[] {8, 24}) {
      int side = (int) Math.sqrt(mb * 1024.0 * 1024.0 / 3);
      Raster r = noise(side, side, mb);
      byte[] png = TestImages.png(r);
      for (ImagePayload p : List.of(new ImagePayload.Decoded(r, ImageFormat.PNG), new ImagePayload.Encoded(png))) {
        long[] wall = new long[3];
        long[] work = new long[3];
        for (int i = -1; i < 3; i++) {
          TestProbe<StageResult> probe = a.kit.createTestProbe();
          long t0 = System.nanoTime();
          a.pipeline.pool(Stage.FILTER).tell(new StagePool.Submit(job, p, probe.getRef()));
          StageResult res = probe.receiveMessage(Duration.ofSeconds(60));
          long t1 = System.nanoTime();
          assertEquals(StageResult.Status.OK, res.status(), res.message());
          if (i >= 0) {
            wall[i] = (t1 - t0) / 1_000_000;
            work[i] = res.workMillis();
          }
        }
        Arrays.sort(wall);
        Arrays.sort(work);
        String kind = p instanceof ImagePayload.Decoded ? mb + " MB decoded raster " + side + "x" + side
            : (png.length / 1024 / 1024) + " MB PNG in, raster back";
        lines.add(String.format(Locale.ROOT, "%-40s %8d %8d %10d", kind, wall[1], work[1], wall[1] - work[1]));
      }
    }
    SerializerMeasurementTest.write("transport.txt", lines);
  }

  @Test
  @Order(2)
  void nodeStoppedAbruptlyMidBatchLosesNoAcceptedJob() throws Exception {
    workB.delayMillis = 300;
    workC.delayMillis = 300;
    long cJobsBefore = workC.count(Stage.FILTER);
    int n = 12;
    List<Raster> inputs = new ArrayList<>();
    TestProbe<ProcessResult> probe = a.kit.createTestProbe();
    for (int i = 0; i < n; i++) {
      Raster in = TestImages.photoLike(48, 32, 100 + i);
      inputs.add(in);
      a.pipeline.orchestration().tell(new Orchestration.Process("batch-" + i + ".png", TestImages.png(in),
          ProcessOptions.parse(Map.of("filters", new Object[] {"NEGATIVE"})), probe.getRef()));
    }
    TestNode.awaitTrue(Duration.ofSeconds(60), () -> workC.count(Stage.FILTER) > cJobsBefore,
        "C never got a job of the batch");
    double retriesBefore = a.pipeline.metrics().retries(Stage.FILTER);
    c.close(); // abrupt: no leaving, no hand-off (coordinated shutdown is off on C)

    Set<Integer> matched = new HashSet<>();
    List<String> filterHosts = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      ProcessResult r = probe.receiveMessage(Duration.ofSeconds(60));
      assertTrue(r.success(), "job lost or failed: " + r.message());
      int[] out = new ImageDecoder(ImagingLimits.DEFAULT).decode(r.image()).raster().argb();
      for (int k = 0; k < n; k++) {
        if (Arrays.equals(negative(inputs.get(k)).argb(), out)) {
          matched.add(k);
        }
      }
      @SuppressWarnings("unchecked")
      Map<String, String> hosts = (Map<String, String>) r.stats().toOrderedMap().get("host_map");
      filterHosts.add(hosts.get("Filter-1 (NEGATIVE)"));
    }
    assertEquals(n, matched.size(), "every input must come back processed exactly as asked");
    assertTrue(a.pipeline.metrics().retries(Stage.FILTER) > retriesBefore, "C's jobs were not retried");
    assertTrue(filterHosts.contains("127.0.0.3:50053"), filterHosts.toString());
    // The Split Brain Resolver (keep-majority) downs C; A and B carry on.
    TestNode.awaitTrue(Duration.ofSeconds(60), () -> {
      for (var m : Cluster.get(a.system()).state().getMembers()) {
        if (m.address().equals(cAddress)) {
          return false;
        }
      }
      return true;
    }, "C was never removed");
    assertTrue(a.pipeline.ready());
  }

}
