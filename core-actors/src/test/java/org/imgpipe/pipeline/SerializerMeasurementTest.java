package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.serialization.Serialization;
import akka.serialization.SerializationExtension;
import akka.serialization.Serializer;
import akka.serialization.SerializerWithStringManifest;
import com.typesafe.config.ConfigFactory;
import org.imgpipe.config.ImgpipeSettings;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.Raster;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * Measures what docs/cluster-transport.md reports: bytes and time to serialize and deserialize an 8 MB
 * and a 24 MB image payload with Akka's Jackson CBOR serializer and with {@link PipelineSerializer}.
 * It asserts sizes and correctness only (no speed limits in unit tests) and writes the numbers to
 * target/pipeline-measurements/serializers.txt.
 */
class SerializerMeasurementTest {

  /** Bound to Akka's jackson-cbor serializer in this test's actor system. */
  public interface CborMessage {}

  public record CborRaster(int[] argb, int width, int height, boolean hasAlpha, String format)
      implements CborMessage {}

  public record CborEncoded(byte[] bytes) implements CborMessage {}

  /** -Dimgpipe.measure=true adds the 24 MB payloads (docs/cluster-transport.md); the default run stays light. */
  static final boolean MEASURE = Boolean.getBoolean("imgpipe.measure");

  private static final int REPS = 5;

  @Test
  void binarySerializerIsSmallerThanCborForRastersAndBothKeepEveryByte() throws Exception {
    ActorTestKit kit = ActorTestKit.create("measure", ConfigFactory.parseString(
            "akka.actor.provider = local\n"
                + "akka.actor.serialization-bindings { \"" + CborMessage.class.getName() + "\" = jackson-cbor }\n")
        .withFallback(ImgpipeSettings.reference()).resolve());
    List<String> lines = new ArrayList<>();
    try {
      Serialization ser = SerializationExtension.get(kit.system().classicSystem());
      TestProbe<StageSlot.Reply> probe = kit.createTestProbe();
      lines.add(String.format(Locale.ROOT, "%-34s %12s %10s %10s", "payload / serializer", "bytes", "ser ms",
          "deser ms"));
      for (int mb : MEASURE ? new int[] {8, 24} : new int[] {8}) {
        // An RGB raster whose raw pixels are mb MB, photo-like so neither side gains from runs of equal values.
        int side = (int) Math.sqrt(mb * 1024.0 * 1024.0 / 3);
        Raster r = TestImages.photoLike(side, side, mb);
        StageJob job = new StageJob.Filter(List.of(new StageJob.FilterStep("NEGATIVE", 1.0)), false);

        long[] bin = measure(ser, new StageSlot.Work(1, 1, job, new ImagePayload.Decoded(r, ImageFormat.PNG), 1000,
            probe.getRef()), back -> assertArrayEquals(r.argb(),
            ((ImagePayload.Decoded) ((StageSlot.Work) back).input()).raster().argb()));
        long[] cbor = measure(ser, new CborRaster(r.argb(), r.width(), r.height(), false, "PNG"),
            back -> assertArrayEquals(r.argb(), ((CborRaster) back).argb()));
        lines.add(row(mb + " MB raster " + side + "x" + side + " / binary", bin));
        lines.add(row(mb + " MB raster " + side + "x" + side + " / CBOR", cbor));
        assertTrue(bin[0] < cbor[0], "binary " + bin[0] + " bytes vs CBOR " + cbor[0]);

        byte[] encoded = new byte[mb * 1024 * 1024];
        new java.util.Random(mb).nextBytes(encoded);
        long[] binE = measure(ser, new StageSlot.Work(1, 1, job, new ImagePayload.Encoded(encoded), 1000,
            probe.getRef()), back -> assertArrayEquals(encoded,
            ((ImagePayload.Encoded) ((StageSlot.Work) back).input()).bytes()));
        long[] cborE = measure(ser, new CborEncoded(encoded),
            back -> assertArrayEquals(encoded, ((CborEncoded) back).bytes()));
        lines.add(row(mb + " MB encoded bytes / binary", binE));
        lines.add(row(mb + " MB encoded bytes / CBOR", cborE));
      }
    } finally {
      kit.shutdownTestKit();
    }
    write("serializers.txt", lines);
  }

  interface Check {
    void accept(Object back) throws Exception;
  }

  /** {bytes, median serialize ms, median deserialize ms} over REPS runs after two warm-ups. */
  private static long[] measure(Serialization ser, Object message, Check check) throws Exception {
    Serializer s = ser.findSerializerFor(message);
    SerializerWithStringManifest m = assertInstanceOf(SerializerWithStringManifest.class, s);
    String manifest = m.manifest(message);
    long[] serMs = new long[REPS];
    long[] deserMs = new long[REPS];
    byte[] bytes = null;
    for (int i = -2; i < REPS; i++) {
      long t0 = System.nanoTime();
      bytes = m.toBinary(message);
      long t1 = System.nanoTime();
      Object back = m.fromBinary(bytes, manifest);
      long t2 = System.nanoTime();
      if (i == -2) {
        check.accept(back);
      } else if (i >= 0) {
        serMs[i] = (t1 - t0) / 1_000_000;
        deserMs[i] = (t2 - t1) / 1_000_000;
      }
    }
    Arrays.sort(serMs);
    Arrays.sort(deserMs);
    return new long[] {bytes.length, serMs[REPS / 2], deserMs[REPS / 2]};
  }

  private static String row(String name, long[] v) {
    return String.format(Locale.ROOT, "%-34s %12d %10d %10d", name, v[0], v[1], v[2]);
  }

  static void write(String file, List<String> lines) throws IOException {
    Path dir = Path.of("target", "pipeline-measurements");
    Files.createDirectories(dir);
    Files.write(dir.resolve(file), lines, StandardCharsets.UTF_8);
    lines.forEach(System.out::println);
  }
}
