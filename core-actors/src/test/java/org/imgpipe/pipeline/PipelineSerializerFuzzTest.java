package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.serialization.SerializationExtension;
import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import com.typesafe.config.ConfigFactory;
import java.io.NotSerializableException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.Raster;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.AfterAll;

/**
 * Fuzz targets of the cluster serializer's reader (docs/fuzzing.md). A frame from another node, however
 * broken, is refused with NotSerializableException; nothing else escapes and nothing larger than the
 * node's pixel limit is allocated. `mvn verify` replays the committed inputs under
 * src/test/resources/org/imgpipe/pipeline/PipelineSerializerFuzzTestInputs; JAZZER_FUZZ=1 fuzzes.
 */
class PipelineSerializerFuzzTest {

  /** A small pixel limit, so that a frame cannot make the fuzzer allocate much. */
  private static final ActorTestKit KIT = ActorTestKit.create("serializer-fuzz", ConfigFactory.parseString(
      "akka.actor.provider = local\nimgpipe.limits.max-decoded-pixels = 1000000\n"
          + "imgpipe.limits.max-output-pixels = 1000000\nakka.loglevel = ERROR")
      .withFallback(ImgpipeSettings.reference()).resolve());
  private static final PipelineSerializer SERIALIZER = (PipelineSerializer) SerializationExtension
      .get(KIT.system().classicSystem()).findSerializerFor(new StageOutputs.Release("k"));
  private static final List<String> MANIFESTS = List.of("V", "W", "A", "R", "S", "D", "O", "E", "M", "L", "F", "Q");

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  /** The first byte picks the message type, the rest is the frame. */
  @FuzzTest(maxDuration = "10m")
  void anyFrameIsReadOrRefused(byte[] input) {
    if (input.length == 0) {
      return;
    }
    String manifest = MANIFESTS.get(Math.floorMod(input[0], MANIFESTS.size()));
    byte[] frame = Arrays.copyOfRange(input, 1, input.length);
    try {
      Object message = SERIALIZER.fromBinary(frame, manifest);
      // What was read must write back to the same kind of message.
      assertEquals(manifest, SERIALIZER.manifest(message));
    } catch (NotSerializableException refused) {
      assertTrue(refused.getMessage() != null && !refused.getMessage().isEmpty());
    }
  }

  /** Any raster crosses and comes back bit for bit, compressed or raw. */
  @FuzzTest(maxDuration = "10m")
  void anyRasterComesBackBitForBit(FuzzedDataProvider data) throws Exception {
    int w = data.consumeInt(1, 64);
    int h = data.consumeInt(1, 64);
    boolean alpha = data.consumeBoolean();
    int[] px = new int[w * h];
    for (int i = 0; i < px.length; i++) {
      // Runs of repeated pixels, so that both the compressed and the raw form occur.
      px[i] = i > 0 && data.consumeBoolean() ? px[i - 1] : data.consumeInt();
      if (!alpha) {
        px[i] |= 0xff000000;
      }
    }
    Raster r = new Raster(px, w, h, alpha);
    StageSlot.Done d = new StageSlot.Done(1, 1, "filter-0", new StageResult(StageResult.Status.OK, "",
        new ImagePayload.Decoded(r, ImageFormat.PNG), w, h, w, h, 1, "n"));
    StageSlot.Done back = (StageSlot.Done) SERIALIZER.fromBinary(SERIALIZER.toBinary(d), "D");
    assertArrayEquals(px, ((ImagePayload.Decoded) back.result().image()).raster().argb());
  }

  /** Writes the seed inputs (real frames of every message type) into the regression directory. */
  public static void main(String[] args) throws Exception {
    Path dir = Path.of(args.length > 0 ? args[0]
        : "core-actors/src/test/resources/org/imgpipe/pipeline/PipelineSerializerFuzzTestInputs/anyFrameIsReadOrRefused");
    Files.createDirectories(dir);
    var probe = KIT.<StageSlot.Reply>createTestProbe().getRef();
    var outputs = KIT.<StageOutputs.Command>createTestProbe().getRef();
    Raster smooth = TestImages.smoothScene(48, 32);
    List<Object> seeds = List.of(
        new StageSlot.Reserve(1, 1, probe),
        new StageSlot.Work(2, 1, new StageJob.Filter(List.of(new StageJob.FilterStep("BLUR", 0.5)), false),
            new ImagePayload.Decoded(smooth, ImageFormat.PNG), 100, probe),
        new StageSlot.Work(3, 1, new StageJob.Resize(20, 10, true, false),
            new ImagePayload.Encoded(TestImages.png(TestImages.solid(4, 4, 1, 2, 3))), 100, probe),
        new StageSlot.Accepted(1, 1, "resize-0", "akka://imgpipe@10.0.0.1:25520"),
        new StageSlot.Rejected(1, 1, "resize-0", false),
        new StageSlot.Started(1, 1, "resize-0", "akka://imgpipe@10.0.0.1:25520"),
        new StageSlot.Done(1, 1, "format-0", new StageResult(StageResult.Status.OK, "", new ImagePayload.Held(outputs,
            "akka://imgpipe@10.0.0.1:25520", "k", 48, 32, false, ImageFormat.JPEG), 48, 32, 96, 64, 3, "h:1")),
        new StageOutputs.Forward("k", "watermark-1", 4, 2, new StageJob.TextWatermark("t", "center", 30, "#FFF", 1, false),
            50, true, false, false, probe),
        new StageOutputs.Release("k"),
        new StageOutputs.Missing(1, 1, "k"),
        new Quarantine.Announce("00", 1000, "r"));
    int n = 0;
    for (Object m : seeds) {
      byte[] frame = SERIALIZER.toBinary(m);
      byte[] input = new byte[frame.length + 1];
      input[0] = (byte) MANIFESTS.indexOf(SERIALIZER.manifest(m));
      System.arraycopy(frame, 0, input, 1, frame.length);
      Files.write(dir.resolve("seed-" + (n++) + "-" + SERIALIZER.manifest(m)), input);
    }
    KIT.shutdownTestKit();
  }
}
