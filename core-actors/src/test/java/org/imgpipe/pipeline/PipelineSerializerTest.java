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
  void aSmoothRasterCrossesCompressedAndComesBackBitForBit() throws Exception {
    TestProbe<StageSlot.Reply> probe = kit.createTestProbe();
    PipelineSerializer s = (PipelineSerializer) serialization.serializerFor(StageSlot.Work.class);
    for (Raster r : List.of(TestImages.smoothScene(640, 360), TestImages.photoLikeWithAlpha(300, 200, 9))) {
      StageSlot.Work w = new StageSlot.Work(1, 1, new StageJob.Format("PNG", 0),
          new ImagePayload.Decoded(r, ImageFormat.PNG), 50, probe.getRef());
      byte[] bytes = s.toBinary(w);
      long raw = (long) r.width() * r.height() * (r.hasAlpha() ? 4 : 3);
      // A smooth scene shrinks to a small fraction; grainy translucent pixels still save a good part.
      long bound = r.hasAlpha() ? raw * 3 / 4 : raw / 8;
      assertTrue(bytes.length < bound, bytes.length + " bytes on the wire for " + raw + " bytes of pixels");
      Raster back = ((ImagePayload.Decoded) ((StageSlot.Work) s.fromBinary(bytes, "W")).input()).raster();
      assertEquals(r.hasAlpha(), back.hasAlpha());
      assertArrayEquals(r.argb(), back.argb());
    }
  }

  @Test
  void noiseThatDoesNotCompressCrossesAsRawPixels() throws Exception {
    TestProbe<StageSlot.Reply> probe = kit.createTestProbe();
    PipelineSerializer s = (PipelineSerializer) serialization.serializerFor(StageSlot.Done.class);
    java.util.Random rnd = new java.util.Random(5);
    int[] px = new int[200 * 100];
    for (int i = 0; i < px.length; i++) {
      px[i] = 0xFF000000 | rnd.nextInt(0x1000000);
    }
    Raster noise = new Raster(px, 200, 100, false);
    StageSlot.Done d = new StageSlot.Done(1, 1, "filter-0", new StageResult(StageResult.Status.OK, "",
        new ImagePayload.Decoded(noise, null), 200, 100, 200, 100, 1, "n"));
    byte[] bytes = s.toBinary(d);
    assertTrue(bytes.length >= 200 * 100 * 3 && bytes.length < 200 * 100 * 3 + 200, "" + bytes.length);
    assertArrayEquals(px, ((ImagePayload.Decoded) ((StageSlot.Done) s.fromBinary(bytes, "D")).result().image())
        .raster().argb());
  }

  @Test
  void heldImagesForwardsAndQuarantineAnnouncementsSurvive() throws Exception {
    TestProbe<StageOutputs.Command> outputs = kit.createTestProbe();
    TestProbe<StageSlot.Reply> pool = kit.createTestProbe();
    ImagePayload.Held held = new ImagePayload.Held(outputs.getRef(), "akka://imgpipe@10.0.0.1:25520", "k-1", 1280,
        720, false, ImageFormat.JPEG);
    StageResult ok = new StageResult(StageResult.Status.OK, "", held, 1280, 720, 1920, 1080, 9, "b:50053");
    assertEquals(ok, ((StageSlot.Done) roundTrip(new StageSlot.Done(4, 1, "filter-1", ok))).result());
    StageOutputs.Forward f = new StageOutputs.Forward("k-1", "watermark-2", 7, 3,
        new StageJob.TextWatermark("x", "center", 30, "#FFFFFF", 0.8, false), 999, true, false, true, pool.getRef());
    assertEquals(f, roundTrip(f));
    assertEquals(new StageOutputs.Release("k-1"), roundTrip(new StageOutputs.Release("k-1")));
    assertEquals(new StageOutputs.Missing(7, 3, "k-1"), roundTrip(new StageOutputs.Missing(7, 3, "k-1")));
    assertEquals(new StageSlot.Started(7, 3, "watermark-2", "akka://imgpipe@10.0.0.3:25520"), roundTrip(new StageSlot.Started(7, 3, "watermark-2", "akka://imgpipe@10.0.0.3:25520")));
    Quarantine.Announce a = new Quarantine.Announce("ab".repeat(32), 600_000, "Resize lost 2 nodes on it");
    assertEquals(a, roundTrip(a));
    for (StageResult.Status st : StageResult.Status.values()) {
      StageResult r = StageResult.failure(st, "m", 0, "");
      assertEquals(r, ((StageSlot.Done) roundTrip(new StageSlot.Done(1, 1, "resize-0", r))).result());
    }
  }

  @Test
  void aRasterLargerThanThePixelLimitIsRefusedBeforeItIsAllocated() throws Exception {
    String refused = refusalOfARawRasterClaiming(60_000, 60_000);
    assertTrue(refused.contains("60000x60000 is outside this node's limit"), refused);
  }

  /** The reader's refusal of a 64x64 raw raster in a Done whose header claims {@code w x h} instead. */
  private static String refusalOfARawRasterClaiming(int w, int h) throws Exception {
    PipelineSerializer s = (PipelineSerializer) serialization.serializerFor(StageSlot.Done.class);
    StageSlot.Done d = new StageSlot.Done(1, 1, "filter-0", new StageResult(StageResult.Status.OK, "",
        new ImagePayload.Decoded(TestImages.smoothScene(64, 64), null), 64, 64, 64, 64, 1, "n"));
    byte[] bytes = s.toBinary(d);
    // The raster's width and height follow the version, ticket, attempt, slot id, status, message, tag and format.
    int at = 1 + 8 + 4 + (4 + "filter-0".length()) + (4 + "OK".length()) + 4 + 1 + 4;
    java.nio.ByteBuffer.wrap(bytes).putInt(at, w).putInt(at + 4, h);
    return assertThrows(NotSerializableException.class, () -> s.fromBinary(bytes, "D")).getMessage();
  }

  @Test
  void aRasterWithAnEmptySideIsRefusedBeforeAnyRowIsWorkedOn() throws Exception {
    // Found by fuzzing: a compact raster 0 pixels wide and 1.3 billion rows tall, with an empty zstd frame,
    // passed the pixel limit (0 pixels) and then spent over a minute looping over rows that hold nothing.
    byte[] input = java.util.Base64.getDecoder().decode(
        "AQEA/QAAAAkAAiQAAKkBAAAAAAAAAARCTAQAAAADUE5HAAAAAE5HAAAAAAAAByi1L/0gABE=");
    PipelineSerializer s = (PipelineSerializer) serialization.serializerFor(StageSlot.Work.class);
    byte[] frame = java.util.Arrays.copyOfRange(input, 1, input.length);
    Exception e = assertThrows(NotSerializableException.class, () -> s.fromBinary(frame, "W"));
    assertTrue(e.getMessage().contains("raster size 0x1313275904 has an empty side"), e.getMessage());

    String raw = refusalOfARawRasterClaiming(64, 0);
    assertTrue(raw.contains("raster size 64x0 has an empty side"), raw);
  }

  @Test
  void aCompressedRasterThatDoesNotHoldItsPixelsIsRefused() throws Exception {
    PipelineSerializer s = (PipelineSerializer) serialization.serializerFor(StageSlot.Done.class);
    StageSlot.Done d = new StageSlot.Done(1, 1, "filter-0", new StageResult(StageResult.Status.OK, "",
        new ImagePayload.Decoded(TestImages.smoothScene(320, 200), null), 1, 1, 1, 1, 1, "n"));
    byte[] bytes = s.toBinary(d);
    int at = 1 + 8 + 4 + (4 + "filter-0".length()) + (4 + "OK".length()) + 4;
    assertEquals(4, bytes[at], "compact raster tag");
    // Claim a taller image than the compressed data holds.
    int height = at + 1 + 4 + 4;
    java.nio.ByteBuffer.wrap(bytes).putInt(height, 201);
    Exception e = assertThrows(NotSerializableException.class, () -> s.fromBinary(bytes, "D"));
    assertTrue(e.getMessage().contains("does not hold 320x201 pixels"), e.getMessage());
  }

  @Test
  void aMessageOfAnotherFormatVersionIsRefusedWithTheReason() throws Exception {
    PipelineSerializer s = (PipelineSerializer) serialization.serializerFor(StageSlot.Accepted.class);
    byte[] good = s.toBinary(new StageSlot.Accepted(1, 1, "x", "y"));
    good[0] = 2;
    Exception e = assertThrows(NotSerializableException.class, () -> s.fromBinary(good, "A"));
    assertTrue(e.getMessage().contains("format version 2"), e.getMessage());
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
