package org.imgpipe.pipeline;

import java.time.Duration;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.imaging.BoxReduce;
import org.imgpipe.imaging.DecodedImage;
import org.imgpipe.imaging.FilterType;
import org.imgpipe.imaging.ImageDecoder;
import org.imgpipe.imaging.ImageEncoder;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.imaging.ImageOperation;
import org.imgpipe.imaging.ImagingException;
import org.imgpipe.imaging.ImagingLimits;
import org.imgpipe.imaging.LogoWatermark;
import org.imgpipe.imaging.Position;
import org.imgpipe.imaging.Raster;
import org.imgpipe.imaging.Resize;
import org.imgpipe.imaging.Rows;
import org.imgpipe.imaging.Size;
import org.imgpipe.imaging.TextWatermark;
import org.imgpipe.imaging.Thumbnail;
import org.imgpipe.imaging.WorkDeadline;

/**
 * Maps a {@link StageJob} onto the imaging operations and runs it on the calling thread (a slot calls
 * it on the image dispatcher). Pure: the same job on the same input gives the same result on any node,
 * which is what makes retrying a job on another slot safe.
 */
public class StageWork {

  private final ImgpipeSettings settings;
  private final ImagingLimits limits;
  private final ImageDecoder decoder;
  private final ImageEncoder encoder;
  private final ImageMemory memory;
  private final Duration memoryWait;

  public StageWork(ImgpipeSettings settings) {
    this.settings = settings;
    this.limits = ImagingLimits.from(settings);
    this.decoder = new ImageDecoder(limits);
    this.encoder = new ImageEncoder();
    this.memory = new ImageMemory(settings.imageMemoryBytes());
    // A job still waiting for memory when its attempt times out would be run again elsewhere.
    this.memoryWait = settings.timeouts().stageAttempt();
  }

  /** The node's heap budget for image work, shared by every job this instance runs. */
  public ImageMemory memory() {
    return memory;
  }

  /** host:port of this node's service for the stage, as host_map shows it. */
  public String node(Stage stage) {
    return settings.serviceAddress(stage.role());
  }

  /** Runs the job with no deadline: {@link #run(StageJob, ImagePayload, long)} with {@link WorkDeadline#NONE}. */
  public StageResult run(StageJob job, ImagePayload input) {
    return run(job, input, WorkDeadline.NONE);
  }

  /**
   * Runs the job; never throws: failures come back as a FAILED result with a client-safe message.
   * Counted as a running image job, so that kernels split their rows only over otherwise idle cores.
   * {@code deadlineNanos} ({@link System#nanoTime} based, {@link WorkDeadline#NONE} for none) bounds the
   * work: once it has passed, decoding, kernels and encoding stop within a few tens of milliseconds and
   * the result is TIMEOUT ("... stopped: the request's deadline passed"); the wait for image memory
   * ends at it too.
   */
  public StageResult run(StageJob job, ImagePayload input, long deadlineNanos) {
    return run(job, input, deadlineNanos, false);
  }

  /**
   * As {@link #run(StageJob, ImagePayload, long)}; {@code alone}: the job reserves the node's whole
   * image-memory budget, so that no other image work runs beside it (a job a node was lost on before:
   * its estimate may be wrong).
   */
  public StageResult run(StageJob job, ImagePayload input, long deadlineNanos, boolean alone) {
    return Rows.job(() -> WorkDeadline.during(deadlineNanos, () -> runCounted(job, input, deadlineNanos, alone)));
  }

  private StageResult runCounted(StageJob job, ImagePayload input, long deadlineNanos, boolean alone) {
    long start = System.nanoTime();
    String node = node(job.stage());
    if (WorkDeadline.passed(deadlineNanos)) {
      return deadlinePassed(job, start, node);
    }
    try (ImageMemory.Lease lease = reserve(job, input, deadlineNanos, alone)) {
      if (lease == null) {
        return deadlinePassed(job, start, node);
      }
      return work(job, input, start, node);
    } catch (ImagingException e) {
      return StageResult.failure(WorkDeadline.causedBy(e) ? StageResult.Status.TIMEOUT : StageResult.Status.FAILED,
          e.getMessage(), millisSince(start), node);
    } catch (WorkDeadline.Passed e) {
      return deadlinePassed(job, start, node);
    } catch (OutOfMemoryError e) {
      return StageResult.failure(StageResult.Status.FAILED, "not enough memory for this image", millisSince(start), node);
    } catch (RuntimeException e) {
      String m = e.getMessage();
      return StageResult.failure(StageResult.Status.FAILED,
          m == null || m.isBlank() ? "internal error while processing the image" : m, millisSince(start), node);
    }
  }

  private StageResult work(StageJob job, ImagePayload input, long start, String node) throws ImagingException {
    DecodedImage in = decode(input);
    Raster source = in.raster();
    Raster out;
    ImagePayload answer;
    if (job instanceof StageJob.Resize r) {
      Resize resize = new Resize(r.targetWidth(), r.targetHeight(), r.keepAspect(), limits);
      // Shrink-on-load for JPEG sources (lossy already): average k x k blocks first when the
      // source is at least twice the output size, so Lanczos3 runs on at most twice the output.
      out = in.format() == ImageFormat.JPEG && input instanceof ImagePayload.Encoded
          ? BoxReduce.resize(source, resize) : resize.apply(source);
      answer = r.encode() ? encoded(out, in.format(), in.format() == ImageFormat.JPEG ? 75 : 0)
          : new ImagePayload.Decoded(out, in.format());
    } else if (job instanceof StageJob.Thumbnail t) {
      out = new Thumbnail(t.size(), limits).apply(source);
      answer = encoded(out, ImageFormat.PNG, 0);
    } else if (job instanceof StageJob.Filter f) {
      out = source;
      for (StageJob.FilterStep step : f.steps()) {
        ImageOperation op = FilterType.parse(step.name()).withIntensity(step.intensity());
        out = op.apply(out);
      }
      answer = f.encode() ? encoded(out, ImageFormat.PNG, 0) : new ImagePayload.Decoded(out, in.format());
    } else if (job instanceof StageJob.TextWatermark w) {
      out = new TextWatermark(w.text(), Position.parse(w.position()), w.fontSize(), w.color(), w.opacity())
          .apply(source);
      answer = w.encode() ? encoded(out, ImageFormat.PNG, 0) : new ImagePayload.Decoded(out, in.format());
    } else if (job instanceof StageJob.LogoWatermark l) {
      Raster logo = decoder.decode(l.logo()).raster();
      out = new LogoWatermark(logo, Position.parse(l.position()), l.scale(), l.opacity(), limits).apply(source);
      answer = encoded(out, ImageFormat.PNG, 0);
    } else if (job instanceof StageJob.Format f) {
      out = source;
      answer = encoded(out, ImageFormat.parse(f.format()), f.quality());
    } else {
      throw new ImagingException("unsupported job");
    }
    return new StageResult(StageResult.Status.OK, "", answer, out.width(), out.height(), source.width(),
        source.height(), millisSince(start), node);
  }

  /**
   * An upper bound of the memory {@code job} holds at once, in bytes: its input (a decoded raster at 4
   * bytes a pixel, or the encoded bytes plus the decoder's peak from the header,
   * {@link ImageDecoder.Header#decodeBytes}, which includes the decoded raster), the operation's rasters
   * at 4 bytes a pixel (a resize's output and its one-axis intermediate; a filter chain's input, output
   * and working planes: 5 rasters for BLUR, 2 for the others; a logo decoded and scaled), and an encoded
   * answer. An input that cannot be read, or a size the limits refuse, counts nothing: the work then
   * fails at once with its own message.
   */
  long peakBytes(StageJob job, ImagePayload input) {
    long w;
    long h;
    long held;
    ImageFormat source;
    if (input instanceof ImagePayload.Decoded d) {
      w = d.raster().width();
      h = d.raster().height();
      held = 4 * w * h;
      source = d.sourceFormat();
    } else if (input instanceof ImagePayload.Encoded e && e.bytes() != null) {
      ImageDecoder.Header header;
      try {
        header = decoder.header(e.bytes());
      } catch (ImagingException notReadable) {
        return 0;
      }
      w = header.width();
      h = header.height();
      held = e.bytes().length + header.decodeBytes();
      source = header.format();
    } else {
      return 0;
    }
    long px = w * h;
    long outW = w;
    long outH = h;
    long work;
    ImageFormat answer; // null: the answer is the raster itself
    Size resized = job instanceof StageJob.Resize r
        ? new Resize(r.targetWidth(), r.targetHeight(), r.keepAspect(), limits).outputSize((int) w, (int) h)
        : job instanceof StageJob.Thumbnail t ? new Thumbnail(t.size(), limits).outputSize((int) w, (int) h) : null;
    if (resized != null) {
      boolean fits = fits(resized);
      outW = fits ? resized.width() : 0;
      outH = fits ? resized.height() : 0;
      long out = outW * outH;
      // Output, one-axis intermediate, and per part of the horizontal pass a band of 256 source rows transposed.
      work = out == 0 ? 0 : 4 * (out + firstPass(w, h, resized) + Math.min(256, h) * w * CORES);
      answer = job instanceof StageJob.Resize r ? (r.encode() ? source : null) : ImageFormat.PNG;
    } else if (job instanceof StageJob.Filter f) {
      boolean blur = f.steps().stream().anyMatch(step -> step.name().trim().equalsIgnoreCase("BLUR"));
      work = 4 * px * (1 + (blur ? 5 : 2));
      answer = f.encode() ? ImageFormat.PNG : null;
    } else if (job instanceof StageJob.TextWatermark t) {
      work = 4 * px;
      answer = t.encode() ? ImageFormat.PNG : null;
    } else if (job instanceof StageJob.LogoWatermark l) {
      // The output, and the logo decoded and scaled (at most the image's size).
      work = 8 * px + logoBytes(l.logo());
      answer = ImageFormat.PNG;
    } else if (job instanceof StageJob.Format f) {
      work = 0;
      answer = formatOrPng(f.format());
    } else {
      work = 4 * px;
      answer = ImageFormat.PNG;
    }
    return held + work + (answer == null || outW == 0 ? 0 : answerBytes(answer, outW, outH));
  }

  private static final int CORES = Runtime.getRuntime().availableProcessors();

  private static ImageFormat formatOrPng(String name) {
    try {
      return ImageFormat.parse(name);
    } catch (ImagingException unknown) {
      return ImageFormat.PNG; // the job fails at once with its own message
    }
  }

  /** The encoders' own memory besides a few rows, whatever the pixels (upper bounds, measured in StageWorkMemoryTest). */
  private static final long ENCODER_OVERHEAD_BYTES = 1 << 20;

  /**
   * An upper bound of what encoding a {@code w x h} raster holds at once besides the raster, the
   * encoded bytes included. A byte stream's array grows to up to twice its data and is copied once at
   * the end, so an answer of C bytes can take 3C. Alpha is assumed (it is not known before decoding).
   * <ul>
   *   <li>PNG: the deflated parts (arrays up to twice their data) and the file, the data at most the
   *       rows stored (4 bytes a pixel and a filter byte a row) plus 1%;
   *   <li>JPEG, BMP: the raster flattened onto white; the stream, the data at most 3 bytes a pixel (BMP:
   *       exactly that, rows padded to 4 bytes);
   *   <li>GIF: the quantised 1-byte image; the stream, the codes at most 12 bits a pixel;
   *   <li>WEBP: the PNG that scrimage hands cwebp (stored, as above: 3 times) and cwebp's answer (at most
   *       4 bytes a pixel: 3 times).
   * </ul>
   */
  static long answerBytes(ImageFormat format, long w, long h) {
    long n = w * h;
    long stored = (4 * n + h) * 101 / 100;
    long bytes = switch (format) {
      case PNG -> 3 * stored;
      case JPEG -> 4 * n + 3 * (3 * n);
      case BMP -> 4 * n + 3 * (3 * n + 4 * h);
      case GIF -> n + 3 * (n * 3 / 2 + h);
      case WEBP -> 3 * stored + 3 * (4 * n);
    };
    return bytes + ENCODER_OVERHEAD_BYTES;
  }

  /** Pixels of a resize's intermediate image: one axis resized, the other not yet. */
  private static long firstPass(long w, long h, Size s) {
    return Math.max(s.width() * h, w * s.height());
  }

  private long logoBytes(byte[] logo) {
    try {
      ImageDecoder.Header header = decoder.header(logo);
      return logo.length + header.decodeBytes();
    } catch (ImagingException notReadable) {
      return 0;
    }
  }

  private boolean fits(Size s) {
    return s.width() > 0 && s.height() > 0 && (long) s.width() * s.height() <= limits.maxOutputPixels();
  }

  private DecodedImage decode(ImagePayload input) throws ImagingException {
    if (input instanceof ImagePayload.Decoded d) {
      return new DecodedImage(d.raster(), d.sourceFormat());
    }
    if (input instanceof ImagePayload.Encoded e && e.bytes() != null) {
      return decoder.decode(e.bytes());
    }
    throw new ImagingException("no image data");
  }

  private ImagePayload encoded(Raster r, ImageFormat format, int quality) throws ImagingException {
    return new ImagePayload.Encoded(encoder.encode(r, format, quality));
  }

  /**
   * The job's memory, waited for until the attempt's bound or the deadline, whichever is nearer; null
   * when the deadline passed while waiting.
   */
  private ImageMemory.Lease reserve(StageJob job, ImagePayload input, long deadlineNanos, boolean alone)
      throws ImagingException {
    long bytes = alone ? Math.max(memory.budget(), peakBytes(job, input)) : peakBytes(job, input);
    if (deadlineNanos == WorkDeadline.NONE) {
      return memory.reserve(bytes, memoryWait);
    }
    long left = Math.max(0, deadlineNanos - System.nanoTime());
    try {
      return memory.reserve(bytes, left < memoryWait.toNanos() ? Duration.ofNanos(left) : memoryWait);
    } catch (ImagingException e) {
      if (WorkDeadline.passed(deadlineNanos)) {
        return null;
      }
      throw e;
    }
  }

  private static StageResult deadlinePassed(StageJob job, long start, String node) {
    return StageResult.failure(StageResult.Status.TIMEOUT, WorkDeadline.stopped(job.stage().label()),
        millisSince(start), node);
  }

  private static long millisSince(long startNanos) {
    return (System.nanoTime() - startNanos) / 1_000_000;
  }
}
