package org.imgpipe.pipeline;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.SerializerWithStringManifest;
import com.typesafe.config.Config;
import java.io.NotSerializableException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.Raster;

/**
 * Binary serializer of every pipeline message that crosses nodes. A decoded image travels compressed
 * losslessly ({@link CompactRaster}) when that makes it smaller, else as raw pixels (3 bytes a pixel
 * without alpha, 4 with); encoded bytes are copied as they are. Every message starts with a format
 * version byte, and the reader checks every length and size against the bytes left and the node's pixel
 * limit before it allocates, so a corrupt or hostile frame is refused, never trusted
 * (docs/cluster-transport.md has the measurements).
 */
public final class PipelineSerializer extends SerializerWithStringManifest {

  /** Marker of the messages this serializer is bound to in imgpipe-akka.conf. */
  public interface Wire {}

  public static final int IDENTIFIER = 734_001;

  /** The wire format's version, the first byte of every message; readers refuse any other. */
  static final int VERSION = 1;

  /** Every message type this serializer writes, with its manifest. */
  private enum Kind {
    RESERVE("V", StageSlot.Reserve.class),
    WORK("W", StageSlot.Work.class),
    ACCEPTED("A", StageSlot.Accepted.class),
    REJECTED("R", StageSlot.Rejected.class),
    STARTED("S", StageSlot.Started.class),
    DONE("D", StageSlot.Done.class),
    FORWARD("O", StageOutputs.Forward.class),
    RELEASE("E", StageOutputs.Release.class),
    MISSING("M", StageOutputs.Missing.class),
    LOOKUP("L", JobLedger.Lookup.class),
    FOUND("F", JobLedger.Found.class),
    QUARANTINE("Q", Quarantine.Announce.class);

    final String manifest;
    final Class<?> type;

    Kind(String manifest, Class<?> type) {
      this.manifest = manifest;
      this.type = type;
    }

    private static final Map<Class<?>, Kind> BY_TYPE = new HashMap<>();
    private static final Map<String, Kind> BY_MANIFEST = new HashMap<>();

    static {
      for (Kind k : values()) {
        BY_TYPE.put(k.type, k);
        BY_MANIFEST.put(k.manifest, k);
      }
    }
  }

  /** Tags of the image forms inside a message. */
  private static final int NO_IMAGE = 0;
  private static final int ENCODED = 1;
  private static final int RASTER = 2;
  private static final int HELD = 3;
  private static final int COMPACT_RASTER = 4;

  /** Tags of the stage jobs. */
  private static final int RESIZE = 1;
  private static final int THUMBNAIL = 2;
  private static final int FILTER = 3;
  private static final int TEXT_WATERMARK = 4;
  private static final int LOGO_WATERMARK = 5;
  private static final int FORMAT = 6;

  private final ActorRefResolver resolver;
  private final boolean compact;
  private final long maxPixels;

  public PipelineSerializer(ExtendedActorSystem system) {
    this.resolver = ActorRefResolver.get(Adapter.toTyped(system));
    Config c = system.settings().config();
    this.compact = !c.hasPath("imgpipe.delivery.compact") || c.getBoolean("imgpipe.delivery.compact");
    this.maxPixels = c.hasPath("imgpipe.limits.max-decoded-pixels")
        ? Math.max(c.getLong("imgpipe.limits.max-decoded-pixels"), c.getLong("imgpipe.limits.max-output-pixels"))
        : 50_000_000L;
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  private static Kind kindOf(Object o) {
    Kind k = Kind.BY_TYPE.get(o.getClass());
    if (k == null) {
      throw new IllegalArgumentException("PipelineSerializer cannot serialize " + o.getClass().getName());
    }
    return k;
  }

  @Override
  public String manifest(Object o) {
    return kindOf(o).manifest;
  }

  @Override
  public byte[] toBinary(Object o) {
    Kind kind = kindOf(o);
    // A decoded image is compressed first, so that the buffer is sized for what is really written.
    ImagePayload image = o instanceof StageSlot.Work w ? w.input() : o instanceof StageSlot.Done d ? d.result().image() : null;
    byte[] packed = compact && image instanceof ImagePayload.Decoded d ? CompactRaster.compress(d.raster()) : null;
    Out out = new Out(256 + bytesHint(o, image, packed));
    out.putByte(VERSION);
    switch (kind) {
      case RESERVE -> {
        StageSlot.Reserve r = (StageSlot.Reserve) o;
        out.putLong(r.ticket());
        out.putInt(r.attempt());
        putRef(out, r.replyTo());
      }
      case WORK -> {
        StageSlot.Work w = (StageSlot.Work) o;
        out.putLong(w.ticket());
        out.putInt(w.attempt());
        writeJob(w.job(), out);
        writePayload(w.input(), packed, out);
        out.putLong(w.remainingMillis());
        out.putBoolean(w.hold());
        out.putBoolean(w.reserved());
        out.putBoolean(w.announce());
        out.putBoolean(w.suspect());
        putRef(out, w.replyTo());
      }
      case ACCEPTED -> {
        StageSlot.Accepted a = (StageSlot.Accepted) o;
        out.putLong(a.ticket());
        out.putInt(a.attempt());
        out.putString(a.slotId());
        out.putString(a.member());
      }
      case REJECTED -> {
        StageSlot.Rejected r = (StageSlot.Rejected) o;
        out.putLong(r.ticket());
        out.putInt(r.attempt());
        out.putString(r.slotId());
        out.putBoolean(r.expired());
      }
      case STARTED -> {
        StageSlot.Started s = (StageSlot.Started) o;
        out.putLong(s.ticket());
        out.putInt(s.attempt());
        out.putString(s.slotId());
        out.putString(s.member());
      }
      case DONE -> {
        StageSlot.Done d = (StageSlot.Done) o;
        out.putLong(d.ticket());
        out.putInt(d.attempt());
        out.putString(d.slotId());
        writeResult(d.result(), packed, out);
      }
      case FORWARD -> {
        StageOutputs.Forward f = (StageOutputs.Forward) o;
        out.putString(f.key());
        out.putString(f.slotId());
        out.putLong(f.ticket());
        out.putInt(f.attempt());
        writeJob(f.job(), out);
        out.putLong(f.remainingMillis());
        out.putBoolean(f.hold());
        out.putBoolean(f.reserved());
        out.putBoolean(f.suspect());
        putRef(out, f.replyTo());
      }
      case RELEASE -> out.putString(((StageOutputs.Release) o).key());
      case MISSING -> {
        StageOutputs.Missing m = (StageOutputs.Missing) o;
        out.putLong(m.ticket());
        out.putInt(m.attempt());
        out.putString(m.key());
      }
      case LOOKUP -> {
        JobLedger.Lookup l = (JobLedger.Lookup) o;
        out.putString(l.processId());
        putRef(out, l.replyTo());
      }
      case FOUND -> writeStatus(((JobLedger.Found) o).status(), out);
      case QUARANTINE -> {
        Quarantine.Announce a = (Quarantine.Announce) o;
        out.putString(a.digest());
        out.putLong(a.millis());
        out.putString(a.reason());
      }
    }
    return out.bytes();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    Kind kind = Kind.BY_MANIFEST.get(manifest);
    if (kind == null) {
      throw new NotSerializableException("unknown pipeline manifest '" + manifest + "'");
    }
    In in = new In(ByteBuffer.wrap(bytes));
    try {
      int version = in.getByte();
      if (version != VERSION) {
        throw new NotSerializableException("pipeline message '" + manifest + "' has format version " + version
            + ", this node reads version " + VERSION + " (nodes of different imgpipe versions in one cluster?)");
      }
      Object message = read(kind, in);
      if (in.remaining() != 0) {
        throw new IllegalArgumentException(in.remaining() + " bytes left over");
      }
      return message;
    } catch (RuntimeException e) {
      throw new NotSerializableException("corrupt pipeline message '" + manifest + "': " + e.getMessage());
    }
  }

  private Object read(Kind kind, In in) {
    return switch (kind) {
      case RESERVE -> new StageSlot.Reserve(in.getLong(), in.getInt(), getRef(in));
      case WORK -> {
        long ticket = in.getLong();
        int attempt = in.getInt();
        StageJob job = readJob(in);
        ImagePayload payload = readPayload(in);
        yield new StageSlot.Work(ticket, attempt, job, payload, in.getLong(), in.getBoolean(), in.getBoolean(),
            in.getBoolean(), in.getBoolean(), getRef(in));
      }
      case ACCEPTED -> new StageSlot.Accepted(in.getLong(), in.getInt(), in.getString(), in.getString());
      case REJECTED -> new StageSlot.Rejected(in.getLong(), in.getInt(), in.getString(), in.getBoolean());
      case STARTED -> new StageSlot.Started(in.getLong(), in.getInt(), in.getString(), in.getString());
      case DONE -> new StageSlot.Done(in.getLong(), in.getInt(), in.getString(), readResult(in));
      case FORWARD -> new StageOutputs.Forward(in.getString(), in.getString(), in.getLong(), in.getInt(), readJob(in),
          in.getLong(), in.getBoolean(), in.getBoolean(), in.getBoolean(), getRef(in));
      case RELEASE -> new StageOutputs.Release(in.getString());
      case MISSING -> new StageOutputs.Missing(in.getLong(), in.getInt(), in.getString());
      case LOOKUP -> new JobLedger.Lookup(in.getString(), getRef(in));
      case FOUND -> new JobLedger.Found(readStatus(in));
      case QUARANTINE -> new Quarantine.Announce(in.getString(), in.getLong(), in.getString());
    };
  }

  private void putRef(Out out, ActorRef<?> ref) {
    out.putString(resolver.toSerializationFormat(ref));
  }

  private <T> ActorRef<T> getRef(In in) {
    String path = in.getString();
    if (path == null || path.isEmpty()) {
      throw new IllegalArgumentException("missing actor reference");
    }
    return resolver.resolveActorRef(path);
  }

  /** The bytes of the image (and logo) a message carries, to size the output buffer once. */
  private static int bytesHint(Object o, ImagePayload p, byte[] packed) {
    long n = packed != null ? packed.length : p == null || p instanceof ImagePayload.Held ? 0 : p.sizeBytes();
    if (o instanceof StageSlot.Work w && w.job() instanceof StageJob.LogoWatermark l && l.logo() != null) {
      n += l.logo().length;
    }
    return (int) Math.min(n, Integer.MAX_VALUE - 1024);
  }

  // ---- stage jobs

  private static void writeJob(StageJob job, Out out) {
    if (job instanceof StageJob.Resize r) {
      out.putByte(RESIZE);
      out.putInt(r.targetWidth());
      out.putInt(r.targetHeight());
      out.putBoolean(r.keepAspect());
      out.putBoolean(r.encode());
    } else if (job instanceof StageJob.Thumbnail t) {
      out.putByte(THUMBNAIL);
      out.putInt(t.size());
    } else if (job instanceof StageJob.Filter f) {
      out.putByte(FILTER);
      out.putInt(f.steps().size());
      for (StageJob.FilterStep s : f.steps()) {
        out.putString(s.name());
        out.putDouble(s.intensity());
      }
      out.putBoolean(f.encode());
    } else if (job instanceof StageJob.TextWatermark w) {
      out.putByte(TEXT_WATERMARK);
      out.putString(w.text());
      out.putString(w.position());
      out.putInt(w.fontSize());
      out.putString(w.color());
      out.putDouble(w.opacity());
      out.putBoolean(w.encode());
    } else if (job instanceof StageJob.LogoWatermark l) {
      out.putByte(LOGO_WATERMARK);
      out.putBytes(l.logo());
      out.putString(l.position());
      out.putDouble(l.scale());
      out.putDouble(l.opacity());
    } else if (job instanceof StageJob.Format f) {
      out.putByte(FORMAT);
      out.putString(f.format());
      out.putInt(f.quality());
    } else {
      throw new IllegalArgumentException("unknown stage job " + job);
    }
  }

  private static StageJob readJob(In in) {
    int tag = in.getByte();
    return switch (tag) {
      case RESIZE -> new StageJob.Resize(in.getInt(), in.getInt(), in.getBoolean(), in.getBoolean());
      case THUMBNAIL -> new StageJob.Thumbnail(in.getInt());
      case FILTER -> {
        int n = in.getCount(12);
        List<StageJob.FilterStep> steps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          steps.add(new StageJob.FilterStep(in.getString(), in.getDouble()));
        }
        yield new StageJob.Filter(steps, in.getBoolean());
      }
      case TEXT_WATERMARK -> new StageJob.TextWatermark(in.getString(), in.getString(), in.getInt(), in.getString(),
          in.getDouble(), in.getBoolean());
      case LOGO_WATERMARK -> new StageJob.LogoWatermark(in.getBytes(), in.getString(), in.getDouble(), in.getDouble());
      case FORMAT -> new StageJob.Format(in.getString(), in.getInt());
      default -> throw new IllegalArgumentException("unknown stage job tag " + tag);
    };
  }

  // ---- images

  /** {@code packed}: the decoded image of {@code p} compressed, or null to write its pixels raw. */
  private void writePayload(ImagePayload p, byte[] packed, Out out) {
    if (p == null) {
      out.putByte(NO_IMAGE);
    } else if (p instanceof ImagePayload.Encoded e) {
      out.putByte(ENCODED);
      out.putBytes(e.bytes());
    } else if (p instanceof ImagePayload.Decoded d) {
      Raster r = d.raster();
      out.putByte(packed != null ? COMPACT_RASTER : RASTER);
      out.putString(d.sourceFormat() == null ? "" : d.sourceFormat().name());
      out.putInt(r.width());
      out.putInt(r.height());
      out.putBoolean(r.hasAlpha());
      if (packed != null) {
        out.putBytes(packed);
      } else {
        out.putPixels(r.argb(), r.width() * r.height(), r.hasAlpha());
      }
    } else if (p instanceof ImagePayload.Held h) {
      out.putByte(HELD);
      putRef(out, h.outputs());
      out.putString(h.member());
      out.putString(h.key());
      out.putInt(h.width());
      out.putInt(h.height());
      out.putBoolean(h.alpha());
      out.putString(h.sourceFormat() == null ? "" : h.sourceFormat().name());
    } else {
      throw new IllegalArgumentException("unknown image payload " + p.getClass().getName());
    }
  }

  private ImagePayload readPayload(In in) {
    int tag = in.getByte();
    switch (tag) {
      case NO_IMAGE:
        return null;
      case ENCODED:
        return new ImagePayload.Encoded(in.getBytes());
      case RASTER:
      case COMPACT_RASTER: {
        ImageFormat format = format(in.getString());
        int w = in.getInt();
        int h = in.getInt();
        boolean alpha = in.getBoolean();
        checkSize(w, h);
        Raster r;
        if (tag == RASTER) {
          r = new Raster(in.getPixels(w * h, alpha), w, h, alpha);
        } else {
          int len = in.getCount(1);
          r = CompactRaster.decompress(in.array(), in.take(len), len, w, h, alpha);
        }
        return new ImagePayload.Decoded(r, format);
      }
      case HELD: {
        ActorRef<StageOutputs.Command> outputs = getRef(in);
        String member = in.getString();
        String key = in.getString();
        int w = in.getInt();
        int h = in.getInt();
        boolean alpha = in.getBoolean();
        checkSize(w, h);
        return new ImagePayload.Held(outputs, member, key, w, h, alpha, format(in.getString()));
      }
      default:
        throw new IllegalArgumentException("unknown payload tag " + tag);
    }
  }

  /**
   * A raster's size is checked against the node's pixel limit before any pixel is allocated. An empty side
   * is refused too: no image has one, and a raster 0 pixels wide and 1.3 billion rows tall passed the pixel
   * limit and then kept a thread looping over empty rows for up to 83 s (a fuzzing finding, docs/fuzzing.md).
   */
  private void checkSize(int w, int h) {
    if (w <= 0 || h <= 0) {
      throw new IllegalArgumentException("raster size " + w + "x" + h + " has an empty side");
    }
    if ((long) w * h > maxPixels) {
      throw new IllegalArgumentException("raster size " + w + "x" + h + " is outside this node's limit of "
          + maxPixels + " pixels");
    }
  }

  private static ImageFormat format(String name) {
    return name == null || name.isEmpty() ? null : ImageFormat.valueOf(name);
  }

  // ---- results and status

  private void writeResult(StageResult r, byte[] packed, Out out) {
    out.putString(r.status().name());
    out.putString(r.message());
    writePayload(r.image(), packed, out);
    out.putInt(r.width());
    out.putInt(r.height());
    out.putInt(r.sourceWidth());
    out.putInt(r.sourceHeight());
    out.putLong(r.workMillis());
    out.putString(r.node());
  }

  private StageResult readResult(In in) {
    StageResult.Status status = StageResult.Status.valueOf(in.getString());
    return new StageResult(status, in.getString(), readPayload(in), in.getInt(), in.getInt(), in.getInt(),
        in.getInt(), in.getLong(), in.getString());
  }

  private static void writeStatus(JobStatus s, Out out) {
    out.putString(s.processId());
    out.putString(s.status());
    out.putInt(s.progressPercent());
    out.putString(s.currentStage());
    PipelineStats st = s.stats();
    for (Long v : new Long[] {st.originalSizeBytes(), st.resizeTimeMs(), st.filterTimeMs(), st.watermarkTimeMs(),
        st.formatTimeMs(), st.totalTimeMs(), st.processedSizeBytes()}) {
      out.putBoolean(v != null);
      out.putLong(v == null ? 0 : v);
    }
    out.putInt(st.hostMap().size());
    for (Map.Entry<String, String> e : st.hostMap().entrySet()) {
      out.putString(e.getKey());
      out.putString(e.getValue());
    }
  }

  private static JobStatus readStatus(In in) {
    String id = in.getString();
    String status = in.getString();
    int progress = in.getInt();
    String stage = in.getString();
    Long[] v = new Long[7];
    for (int i = 0; i < v.length; i++) {
      boolean present = in.getBoolean();
      long x = in.getLong();
      v[i] = present ? x : null;
    }
    int n = in.getCount(8);
    Map<String, String> hosts = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      hosts.put(in.getString(), in.getString());
    }
    return new JobStatus(id, status, progress, stage, new PipelineStats(v[0], v[1], v[2], v[3], v[4], hosts, v[5], v[6]));
  }

  // ---- primitive writer/reader

  /** A growing big-endian buffer. */
  static final class Out {
    private byte[] buf;
    private int size;

    Out(int capacity) {
      buf = new byte[Math.max(64, capacity)];
    }

    private void ensure(int more) {
      if (size + more > buf.length) {
        long want = Math.max((long) size + more, 2L * buf.length);
        if (want > Integer.MAX_VALUE - 16) {
          throw new IllegalArgumentException("message too large to serialize");
        }
        buf = Arrays.copyOf(buf, (int) want);
      }
    }

    byte[] bytes() {
      return size == buf.length ? buf : Arrays.copyOf(buf, size);
    }

    void putByte(int b) {
      ensure(1);
      buf[size++] = (byte) b;
    }

    void putBoolean(boolean b) {
      putByte(b ? 1 : 0);
    }

    void putInt(int i) {
      ensure(4);
      buf[size++] = (byte) (i >>> 24);
      buf[size++] = (byte) (i >>> 16);
      buf[size++] = (byte) (i >>> 8);
      buf[size++] = (byte) i;
    }

    void putLong(long l) {
      putInt((int) (l >>> 32));
      putInt((int) l);
    }

    void putDouble(double d) {
      putLong(Double.doubleToRawLongBits(d));
    }

    void putBytes(byte[] b) {
      if (b == null) {
        putInt(-1);
        return;
      }
      putInt(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, size, b.length);
      size += b.length;
    }

    void putString(String s) {
      putBytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    void putPixels(int[] argb, int count, boolean alpha) {
      int per = alpha ? 4 : 3;
      ensure(count * per);
      byte[] a = buf;
      int p = size;
      if (alpha) {
        for (int i = 0; i < count; i++) {
          int c = argb[i];
          a[p++] = (byte) (c >>> 24);
          a[p++] = (byte) (c >>> 16);
          a[p++] = (byte) (c >>> 8);
          a[p++] = (byte) c;
        }
      } else {
        for (int i = 0; i < count; i++) {
          int c = argb[i];
          a[p++] = (byte) (c >>> 16);
          a[p++] = (byte) (c >>> 8);
          a[p++] = (byte) c;
        }
      }
      size = p;
    }
  }

  /** Reads what {@link Out} wrote; every length is checked against the bytes left before it is used. */
  static final class In {
    private final ByteBuffer buf;

    In(ByteBuffer buf) {
      this.buf = buf;
    }

    int remaining() {
      return buf.remaining();
    }

    byte[] array() {
      return buf.array();
    }

    /** Skips {@code n} bytes and returns the array offset where they start. */
    int take(int n) {
      int at = buf.arrayOffset() + buf.position();
      buf.position(buf.position() + n);
      return at;
    }

    int getByte() {
      return buf.get();
    }

    boolean getBoolean() {
      return buf.get() != 0;
    }

    int getInt() {
      return buf.getInt();
    }

    long getLong() {
      return buf.getLong();
    }

    double getDouble() {
      return Double.longBitsToDouble(buf.getLong());
    }

    /** A count of items of at least {@code minBytesEach} bytes, checked against what is left. */
    int getCount(int minBytesEach) {
      int n = buf.getInt();
      if (n < 0 || (long) n * minBytesEach > buf.remaining()) {
        throw new IllegalArgumentException("count " + n + " exceeds the message");
      }
      return n;
    }

    byte[] getBytes() {
      int n = buf.getInt();
      if (n == -1) {
        return null;
      }
      if (n < 0 || n > buf.remaining()) {
        throw new IllegalArgumentException("length " + n + " exceeds the message");
      }
      byte[] b = new byte[n];
      buf.get(b);
      return b;
    }

    String getString() {
      byte[] b = getBytes();
      return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }

    int[] getPixels(int count, boolean alpha) {
      int per = alpha ? 4 : 3;
      if ((long) count * per > buf.remaining()) {
        throw new IllegalArgumentException("pixel data shorter than " + count + " pixels");
      }
      int[] argb = new int[count];
      byte[] a = buf.array();
      int p = buf.arrayOffset() + buf.position();
      if (alpha) {
        for (int i = 0; i < count; i++) {
          argb[i] = (a[p] & 0xff) << 24 | (a[p + 1] & 0xff) << 16 | (a[p + 2] & 0xff) << 8 | (a[p + 3] & 0xff);
          p += 4;
        }
      } else {
        for (int i = 0; i < count; i++) {
          argb[i] = 0xff000000 | (a[p] & 0xff) << 16 | (a[p + 1] & 0xff) << 8 | (a[p + 2] & 0xff);
          p += 3;
        }
      }
      buf.position(p - buf.arrayOffset());
      return argb;
    }
  }
}
