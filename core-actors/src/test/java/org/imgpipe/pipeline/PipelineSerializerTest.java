package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.SerializerWithStringManifest;
import com.typesafe.config.ConfigFactory;
import org.imgpipe.config.ImgpipeSettings;
import java.io.NotSerializableException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.Raster;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Every pipeline message that crosses nodes survives the binary serializer unchanged. */
class PipelineSerializerTest {

  private static ActorTestKit kit;
  private static Serialization serialization;

  @BeforeAll
  static void start() {
    // A local actor system is enough to resolve actor refs, and binds no port.
    kit = ActorTestKit.create("serializer-test", ConfigFactory.parseString("akka.actor.provider = local")
        .withFallback(ImgpipeSettings.reference()).resolve());
    serialization = SerializationExtension.get(kit.system().classicSystem());
  }

  @AfterAll
  static void stop() {
    kit.shutdownTestKit();
  }

  private static Object roundTrip(Object message) throws NotSerializableException {
    Serializer s = serialization.findSerializerFor(message);
    assertInstanceOf(PipelineSerializer.class, s, "wrong serializer for " + message.getClass());
    SerializerWithStringManifest m = (SerializerWithStringManifest) s;
    return m.fromBinary(m.toBinary(message), m.manifest(message));
  }

  @Test
  void workWithADecodedRasterKeepsEveryPixelWithAndWithoutAlpha() throws Exception {
    TestProbe<StageSlot.Reply> probe = kit.createTestProbe();
    for (Raster r : List.of(TestImages.photoLike(37, 21, 3), TestImages.photoLikeWithAlpha(19, 23, 4))) {
      StageJob job = new StageJob.Filter(List.of(new StageJob.FilterStep("BLUR", 0.5),
          new StageJob.FilterStep("SEPIA", 1.0)), false);
      StageSlot.Work w = new StageSlot.Work(7, 2, job, new ImagePayload.Decoded(r, ImageFormat.JPEG), 1234,
          probe.getRef());
      StageSlot.Work back = (StageSlot.Work) roundTrip(w);
      assertEquals(7, back.ticket());
      assertEquals(2, back.attempt());
      assertEquals(job, back.job());
      assertEquals(1234, back.remainingMillis());
      assertEquals(probe.getRef(), back.replyTo());
      ImagePayload.Decoded d = (ImagePayload.Decoded) back.input();
      assertEquals(ImageFormat.JPEG, d.sourceFormat());
      assertEquals(r.width(), d.raster().width());
      assertEquals(r.hasAlpha(), d.raster().hasAlpha());
      assertArrayEquals(r.argb(), d.raster().argb());
    }
  }

  @Test
  void everyJobKindAndResultSurvives() throws Exception {
    TestProbe<StageSlot.Reply> probe = kit.createTestProbe();
    byte[] png = TestImages.png(TestImages.solid(4, 4, 1, 2, 3));
    List<StageJob> jobs = List.of(new StageJob.Resize(800, -1, false, true), new StageJob.Thumbnail(256),
        new StageJob.TextWatermark("© imgpipe", "center", 30, "#FFFFFF", 0.8, true),
        new StageJob.Format("WEBP", 0));
    for (StageJob job : jobs) {
      StageSlot.Work back = (StageSlot.Work) roundTrip(new StageSlot.Work(1, 1, job,
          new ImagePayload.Encoded(png), 5, probe.getRef()));
      assertEquals(job, back.job());
      assertArrayEquals(png, ((ImagePayload.Encoded) back.input()).bytes());
    }
    StageJob.LogoWatermark logo = (StageJob.LogoWatermark) ((StageSlot.Work) roundTrip(new StageSlot.Work(1, 1,
        new StageJob.LogoWatermark(png, "top-left", 0.25, 0.5), null, 5, probe.getRef()))).job();
    assertArrayEquals(png, logo.logo());
    assertEquals(0.25, logo.scale());

    StageResult result = new StageResult(StageResult.Status.OK, "", new ImagePayload.Encoded(png), 4, 4, 8, 8, 12,
        "10.0.0.5:50053");
    StageSlot.Done done = (StageSlot.Done) roundTrip(new StageSlot.Done(3, 1, "filter-3", result));
    assertEquals("filter-3", done.slotId());
    assertEquals(result.node(), done.result().node());
    assertEquals(12, done.result().workMillis());
    assertArrayEquals(png, ((ImagePayload.Encoded) done.result().image()).bytes());
    StageResult failed = StageResult.failure(StageResult.Status.FAILED, "bad image", 3, "n:1");
    assertEquals(failed, ((StageSlot.Done) roundTrip(new StageSlot.Done(3, 1, "filter-3", failed))).result());
    assertEquals(new StageSlot.Accepted(1, 2, "resize-0", "akka://imgpipe@127.0.0.2:4000"),
        roundTrip(new StageSlot.Accepted(1, 2, "resize-0", "akka://imgpipe@127.0.0.2:4000")));
    assertEquals(new StageSlot.Rejected(1, 2, "resize-0", true), roundTrip(new StageSlot.Rejected(1, 2, "resize-0", true)));
    assertEquals(new StageSlot.Reserve(9, 3, probe.getRef()), roundTrip(new StageSlot.Reserve(9, 3, probe.getRef())));
  }

  @Test
  void jobStatusWithStatsSurvives() throws Exception {
    Map<String, String> hosts = new LinkedHashMap<>();
    hosts.put("Resize", "a:50052");
    hosts.put("Filter-1 (BLUR)", "b:50053");
    hosts.put("Orchestrator", "c:50055");
    JobStatus s = new JobStatus("id-1", JobStatus.FILTERING, 33, "Filter-1 (BLUR)",
        new PipelineStats(100L, 5L, null, 0L, null, hosts, null, null));
    JobLedger.Found back = (JobLedger.Found) roundTrip(new JobLedger.Found(s));
    assertEquals(s, back.status());
    assertEquals(List.of("Resize", "Filter-1 (BLUR)", "Orchestrator"), List.copyOf(back.status().stats().hostMap().keySet()));
    TestProbe<JobLedger.Found> probe = kit.createTestProbe();
    assertEquals(new JobLedger.Lookup("id-1", probe.getRef()), roundTrip(new JobLedger.Lookup("id-1", probe.getRef())));
  }

  @Test
  void corruptBytesAreRefusedNotTrusted() throws Exception {
    PipelineSerializer s = (PipelineSerializer) serialization.serializerFor(StageSlot.Work.class);
    assertThrows(NotSerializableException.class, () -> s.fromBinary(new byte[] {0, 0, 0, 1}, "W"));
    assertThrows(NotSerializableException.class, () -> s.fromBinary(new byte[0], "Z"));
    byte[] good = s.toBinary(new StageSlot.Accepted(1, 1, "x", "y"));
    byte[] cut = java.util.Arrays.copyOf(good, good.length - 2);
    Exception e = assertThrows(NotSerializableException.class, () -> s.fromBinary(cut, "A"));
    assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
  }
}
