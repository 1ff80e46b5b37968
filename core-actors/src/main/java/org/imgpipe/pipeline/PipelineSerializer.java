package org.imgpipe.pipeline;

import akka.actor.ExtendedActorSystem;
import akka.actor.typed.ActorRef;
import akka.actor.typed.ActorRefResolver;
import akka.actor.typed.javadsl.Adapter;
import akka.serialization.SerializerWithStringManifest;
import java.io.NotSerializableException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.Raster;

/**
 * Binary serializer of every pipeline message that crosses nodes. Images travel as raw pixels (3 bytes
 * per pixel without alpha, 4 with) or as their encoded bytes, copied once into the output array: for
 * multi-megabyte payloads this is several times faster and smaller than Jackson CBOR, which writes an
 * int[] as one CBOR item per pixel (docs/cluster-transport.md has the measurements).
 */
public final class PipelineSerializer extends SerializerWithStringManifest {

  /** Marker of the messages this serializer is bound to in reference.conf. */
  public interface Wire {}

  public static final int IDENTIFIER = 734_001;

  private static final String RESERVE = "V";
  private static final String WORK = "W";
  private static final String ACCEPTED = "A";
  private static final String REJECTED = "R";
  private static final String DONE = "D";
  private static final String LOOKUP = "L";
  private static final String FOUND = "F";

  private final ActorRefResolver resolver;

  public PipelineSerializer(ExtendedActorSystem system) {
    this.resolver = ActorRefResolver.get(Adapter.toTyped(system));
  }

  @Override
  public int identifier() {
    return IDENTIFIER;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof StageSlot.Reserve) {
      return RESERVE;
    } else if (o instanceof StageSlot.Work) {
      return WORK;
    } else if (o instanceof StageSlot.Accepted) {
      return ACCEPTED;
    } else if (o instanceof StageSlot.Rejected) {
      return REJECTED;
    } else if (o instanceof StageSlot.Done) {
      return DONE;
    } else if (o instanceof JobLedger.Lookup) {
      return LOOKUP;
    } else if (o instanceof JobLedger.Found) {
      return FOUND;
    }
    throw new IllegalArgumentException("PipelineSerializer cannot serialize " + o.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object o) {
    Out out = new Out();
    // Two passes: the first only counts bytes, so the second writes into one exactly sized array.
    write(o, out);
    out.allocate();
    write(o, out);
    return out.buf.array();
  }

  private void write(Object o, Out out) {
    if (o instanceof StageSlot.Reserve r) {
      out.putLong(r.ticket());
      out.putInt(r.attempt());
      out.putString(resolver.toSerializationFormat(r.replyTo()));
    } else if (o instanceof StageSlot.Work w) {
      out.putLong(w.ticket());
      out.putInt(w.attempt());
      writeJob(w.job(), out);
      writePayload(w.input(), out);
      out.putLong(w.remainingMillis());
      out.putString(resolver.toSerializationFormat(w.replyTo()));
    } else if (o instanceof StageSlot.Accepted a) {
      out.putLong(a.ticket());
      out.putInt(a.attempt());
      out.putString(a.slotId());
      out.putString(a.member());
    } else if (o instanceof StageSlot.Rejected r) {
      out.putLong(r.ticket());
      out.putInt(r.attempt());
      out.putString(r.slotId());
      out.putBoolean(r.expired());
    } else if (o instanceof StageSlot.Done d) {
      out.putLong(d.ticket());
      out.putInt(d.attempt());
      out.putString(d.slotId());
      writeResult(d.result(), out);
    } else if (o instanceof JobLedger.Lookup l) {
      out.putString(l.processId());
      out.putString(resolver.toSerializationFormat(l.replyTo()));
    } else if (o instanceof JobLedger.Found f) {
      writeStatus(f.status(), out);
    } else {
      throw new IllegalArgumentException("PipelineSerializer cannot serialize " + o.getClass().getName());
    }
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    In in = new In(ByteBuffer.wrap(bytes));
    try {
      switch (manifest) {
        case RESERVE: {
          long ticket = in.getLong();
          int attempt = in.getInt();
          ActorRef<StageSlot.Reply> replyTo = resolver.resolveActorRef(in.getString());
          return new StageSlot.Reserve(ticket, attempt, replyTo);
        }
        case WORK: {
          long ticket = in.getLong();
          int attempt = in.getInt();
          StageJob job = readJob(in);
          ImagePayload payload = readPayload(in);
          long remaining = in.getLong();
          ActorRef<StageSlot.Reply> replyTo = resolver.resolveActorRef(in.getString());
          return new StageSlot.Work(ticket, attempt, job, payload, remaining, replyTo);
        }
        case ACCEPTED:
          return new StageSlot.Accepted(in.getLong(), in.getInt(), in.getString(), in.getString());
        case REJECTED:
          return new StageSlot.Rejected(in.getLong(), in.getInt(), in.getString(), in.getBoolean());
        case DONE:
          return new StageSlot.Done(in.getLong(), in.getInt(), in.getString(), readResult(in));
        case LOOKUP: {
          String id = in.getString();
          ActorRef<JobLedger.Found> replyTo = resolver.resolveActorRef(in.getString());
          return new JobLedger.Lookup(id, replyTo);
        }
        case FOUND:
          return new JobLedger.Found(readStatus(in));
        default:
          throw new NotSerializableException("unknown pipeline manifest '" + manifest + "'");
      }
    } catch (RuntimeException e) {
      throw new NotSerializableException("corrupt pipeline message '" + manifest + "': " + e.getMessage());
    }
  }

  // ---- stage jobs

  private static void writeJob(StageJob job, Out out) {
    if (job instanceof StageJob.Resize r) {
      out.putByte(1);
      out.putInt(r.targetWidth());
      out.putInt(r.targetHeight());
      out.putBoolean(r.keepAspect());
      out.putBoolean(r.encode());
    } else if (job instanceof StageJob.Thumbnail t) {
      out.putByte(2);
      out.putInt(t.size());
    } else if (job instanceof StageJob.Filter f) {
      out.putByte(3);
      out.putInt(f.steps().size());
      for (StageJob.FilterStep s : f.steps()) {
        out.putString(s.name());
        out.putDouble(s.intensity());
      }
      out.putBoolean(f.encode());
    } else if (job instanceof StageJob.TextWatermark w) {
      out.putByte(4);
      out.putString(w.text());
      out.putString(w.position());
      out.putInt(w.fontSize());
      out.putString(w.color());
      out.putDouble(w.opacity());
      out.putBoolean(w.encode());
    } else if (job instanceof StageJob.LogoWatermark l) {
      out.putByte(5);
      out.putBytes(l.logo());
      out.putString(l.position());
      out.putDouble(l.scale());
      out.putDouble(l.opacity());
    } else if (job instanceof StageJob.Format f) {
      out.putByte(6);
      out.putString(f.format());
      out.putInt(f.quality());
    } else {
      throw new IllegalArgumentException("unknown stage job " + job);
    }
  }

  private static StageJob readJob(In in) {
    byte tag = in.getByte();
    switch (tag) {
      case 1:
        return new StageJob.Resize(in.getInt(), in.getInt(), in.getBoolean(), in.getBoolean());
      case 2:
        return new StageJob.Thumbnail(in.getInt());
      case 3: {
        int n = in.getInt();
        List<StageJob.FilterStep> steps = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
          steps.add(new StageJob.FilterStep(in.getString(), in.getDouble()));
        }
        return new StageJob.Filter(steps, in.getBoolean());
      }
      case 4:
        return new StageJob.TextWatermark(in.getString(), in.getString(), in.getInt(), in.getString(), in.getDouble(),
            in.getBoolean());
      case 5:
        return new StageJob.LogoWatermark(in.getBytes(), in.getString(), in.getDouble(), in.getDouble());
      case 6:
        return new StageJob.Format(in.getString(), in.getInt());
      default:
        throw new IllegalArgumentException("unknown stage job tag " + tag);
    }
  }

  // ---- images

  static void writePayload(ImagePayload p, Out out) {
    if (p == null) {
      out.putByte(0);
    } else if (p instanceof ImagePayload.Encoded e) {
      out.putByte(1);
      out.putBytes(e.bytes());
    } else if (p instanceof ImagePayload.Decoded d) {
      Raster r = d.raster();
      out.putByte(2);
      out.putString(d.sourceFormat() == null ? "" : d.sourceFormat().name());
      out.putInt(r.width());
      out.putInt(r.height());
      out.putBoolean(r.hasAlpha());
      out.putPixels(r.argb(), r.width() * r.height(), r.hasAlpha());
    }
  }

  static ImagePayload readPayload(In in) {
    byte tag = in.getByte();
    switch (tag) {
      case 0:
        return null;
      case 1:
        return new ImagePayload.Encoded(in.getBytes());
      case 2: {
        String format = in.getString();
        int w = in.getInt();
        int h = in.getInt();
        boolean alpha = in.getBoolean();
        if (w < 0 || h < 0 || (long) w * h > Integer.MAX_VALUE) {
          throw new IllegalArgumentException("bad raster size " + w + "x" + h);
        }
        int[] argb = in.getPixels(w * h, alpha);
        return new ImagePayload.Decoded(new Raster(argb, w, h, alpha),
            format.isEmpty() ? null : ImageFormat.valueOf(format));
      }
      default:
        throw new IllegalArgumentException("unknown payload tag " + tag);
    }
  }

  // ---- results and status

  private static void writeResult(StageResult r, Out out) {
    out.putByte(r.status().ordinal());
    out.putString(r.message());
    writePayload(r.image(), out);
    out.putInt(r.width());
    out.putInt(r.height());
    out.putInt(r.sourceWidth());
    out.putInt(r.sourceHeight());
    out.putLong(r.workMillis());
    out.putString(r.node());
  }

  private static StageResult readResult(In in) {
    StageResult.Status status = StageResult.Status.values()[in.getByte()];
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
    int n = in.getInt();
    Map<String, String> hosts = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      hosts.put(in.getString(), in.getString());
    }
    return new JobStatus(id, status, progress, stage, new PipelineStats(v[0], v[1], v[2], v[3], v[4], hosts, v[5], v[6]));
  }

  // ---- primitive writer/reader

  /** Counts bytes on the first pass (buf == null), writes them on the second. */
  static final class Out {
    ByteBuffer buf;
    int size;

    void allocate() {
      buf = ByteBuffer.allocate(size);
    }

    void putByte(int b) {
      if (buf == null) {
        size += 1;
      } else {
        buf.put((byte) b);
      }
    }

    void putBoolean(boolean b) {
      putByte(b ? 1 : 0);
    }

    void putInt(int i) {
      if (buf == null) {
        size += 4;
      } else {
        buf.putInt(i);
      }
    }

    void putLong(long l) {
      if (buf == null) {
        size += 8;
      } else {
        buf.putLong(l);
      }
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
      if (buf == null) {
        size += b.length;
      } else {
        buf.put(b);
      }
    }

    void putString(String s) {
      putBytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    void putPixels(int[] argb, int count, boolean alpha) {
      int per = alpha ? 4 : 3;
      if (buf == null) {
        size += count * per;
        return;
      }
      byte[] a = buf.array();
      int p = buf.position();
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
      buf.position(p);
    }
  }

  static final class In {
    private final ByteBuffer buf;

    In(ByteBuffer buf) {
      this.buf = buf;
    }

    byte getByte() {
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

    byte[] getBytes() {
      int n = buf.getInt();
      if (n < 0) {
        return null;
      }
      if (n > buf.remaining()) {
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
