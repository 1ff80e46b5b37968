package org.imgpipe.bridge;

import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpCharsets;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpHeader;
import akka.http.javadsl.model.HttpMethods;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.MediaTypes;
import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;
import akka.http.javadsl.model.headers.Allow;
import akka.http.javadsl.model.headers.ContentEncoding;
import akka.http.javadsl.model.headers.HttpEncodings;
import akka.http.javadsl.model.headers.Connection;
import akka.stream.Materializer;
import akka.stream.javadsl.Compression;
import akka.stream.javadsl.Source;
import akka.util.ByteString;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Iterator;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;
import java.util.zip.Deflater;
import java.net.InetAddress;
import akka.http.javadsl.model.AttributeKeys;
import akka.http.javadsl.model.RemoteAddress;
import org.imgpipe.config.ImgpipeSettings;
import java.util.zip.GZIPOutputStream;
import org.imgpipe.xmlrpc.XmlRpcCall;
import org.imgpipe.xmlrpc.XmlRpcCodec;
import org.imgpipe.xmlrpc.XmlRpcProtocolException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP side of one service port: XML-RPC on POST / and /RPC2, plus GET /health, /ready and /metrics.
 * Bodies larger than the configured limit are refused before they are read (by Content-Length) or as soon
 * as they grow past it (chunked, or once inflated). Every body is counted against the node's request
 * memory as it arrives ({@link RequestMemory}, {@link ParseCost}). Large calls are decoded and encoded on
 * the blocking dispatcher, never on the one serving connections.
 */
final class ServicePort implements akka.japi.function.Function<HttpRequest, CompletionStage<HttpResponse>> {

  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(ServicePort.class);

  /** Calls up to this size (uncompressed, answered uncompressed) are decoded and encoded without a thread hand-off. */
  static final int INLINE_CODEC_BYTES = 256 * 1024;

  /** Inflated bytes per piece of a gzip or deflate body. */
  private static final int INFLATE_CHUNK = 64 * 1024;

  private static final Executor SAME_THREAD = Runnable::run;

  /** The original (Python's SimpleXMLRPCServer) gzips answers above this size when the client accepts gzip. */
  static final int GZIP_THRESHOLD_BYTES = 1400;

  private final transient ImgpipeSettings.GzipAnswers gzipAnswers;
  private final transient MethodTable table;
  private final transient XmlRpcCodec codec;
  private final long maxRequestBytes;
  private final transient BridgeMetrics metrics;
  private final transient PrometheusMeterRegistry registry;
  private final transient BooleanSupplier ready;
  private final transient Executor codecExecutor;
  private final transient Materializer materializer;
  private final Duration readTimeout;
  private final transient AtomicInteger inFlight;
  private final transient RequestMemory memory;
  private final Duration bodyTimeout;

  ServicePort(MethodTable table, XmlRpcCodec codec, long maxRequestBytes, BridgeMetrics metrics,
      PrometheusMeterRegistry registry, BooleanSupplier ready, Executor codecExecutor, Materializer materializer,
      Duration readTimeout, Duration bodyTimeout, ImgpipeSettings.GzipAnswers gzipAnswers, RequestMemory memory) {
    this.memory = memory;
    this.bodyTimeout = bodyTimeout;
    this.gzipAnswers = gzipAnswers;
    this.table = table;
    this.codec = codec;
    this.maxRequestBytes = maxRequestBytes;
    this.metrics = metrics;
    this.registry = registry;
    this.ready = ready;
    this.codecExecutor = codecExecutor;
    this.materializer = materializer;
    this.readTimeout = readTimeout;
    this.inFlight = metrics.inFlight(table.service());
  }

  /** The service's name, as in the original (ResizeService, ...). */
  String service() {
    return table.service();
  }

  /** XML-RPC calls being read or answered now. */
  int callsInFlight() {
    return inFlight.get();
  }

  @Override
  public CompletionStage<HttpResponse> apply(HttpRequest request) {
    String path = request.getUri().path();
    boolean get = request.method().equals(HttpMethods.GET);
    switch (path) {
      case "/", "/RPC2" -> {
        if (request.method().equals(HttpMethods.POST)) {
          return xmlRpc(request);
        }
        metrics.refused(table.service(), "bad_method");
        return discardThen(request, text(StatusCodes.METHOD_NOT_ALLOWED,
            "This is the XML-RPC endpoint of " + table.service() + ": send POST with a text/xml body.\n")
            .addHeader(Allow.create(HttpMethods.POST)));
      }
      case "/health" -> {
        if (get) {
          return discardThen(request, text(StatusCodes.OK, "ok\n"));
        }
      }
      case "/ready" -> {
        if (get) {
          return discardThen(request, ready.getAsBoolean()
              ? text(StatusCodes.OK, "ready\n")
              : text(StatusCodes.SERVICE_UNAVAILABLE, "not ready: the node has not joined the cluster or its pools "
                  + "cannot take work yet\n"));
        }
      }
      case "/metrics" -> {
        if (get) {
          return discardThen(request, HttpResponse.create().withEntity(
              HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, registry.scrape())));
        }
      }
      default -> {
        metrics.refused(table.service(), "not_found");
        return discardThen(request, text(StatusCodes.NOT_FOUND,
            "Not found. XML-RPC is served with POST on / and /RPC2; GET /health, /ready and /metrics.\n"));
      }
    }
    metrics.refused(table.service(), "bad_method");
    return discardThen(request, text(StatusCodes.METHOD_NOT_ALLOWED, path + " answers GET only.\n")
        .addHeader(Allow.create(HttpMethods.GET)));
  }

  private CompletionStage<HttpResponse> xmlRpc(HttpRequest request) {
    long start = System.nanoTime();
    var declared = request.entity().getContentLengthOption();
    if (declared.isPresent() && declared.getAsLong() > maxRequestBytes) {
      metrics.refused(table.service(), "too_large");
      return discardThen(request, tooLarge());
    }
    String encoding = header(request, "Content-Encoding").map(s -> s.trim().toLowerCase(Locale.ROOT)).orElse("identity");
    if (!encoding.equals("identity") && !encoding.equals("gzip") && !encoding.equals("deflate")) {
      metrics.refused(table.service(), "bad_encoding");
      return discardThen(request, text(StatusCodes.UNSUPPORTED_MEDIA_TYPE,
          "Content-Encoding " + encoding + " is not supported; send identity, gzip or deflate.\n"));
    }
    boolean identity = encoding.equals("identity");
    boolean gzipAnswer = gzipAnswers != ImgpipeSettings.GzipAnswers.OFF && acceptsGzip(request)
        && (gzipAnswers == ImgpipeSettings.GzipAnswers.ON || !fromLoopback(request));
    // A plain body with a Content-Length costs at least its bytes plus their parse at the cheapest rate
    // (all base64): what it cannot fit is refused from the headers. Younger bodies leave that much room.
    long expected = identity && declared.isPresent()
        ? ParseCost.FIXED + (long) Math.ceil(declared.getAsLong() * (1 + ParseCost.BASE64_BYTE)) : ParseCost.FIXED;
    try {
      memory.checkFits(expected);
    } catch (Fault f) {
      metrics.refused(table.service(), "no_memory");
      request.discardEntityBytes(materializer);
      return CompletableFuture.completedFuture(closing(xml(codec.faultBytes(Fault.CODE, f.faultString()), gzipAnswer)));
    }
    inFlight.incrementAndGet();
    RequestMemory.Body body = memory.open(client(request), expected, identity && declared.isPresent());
    boolean[] read = new boolean[1];
    return body.take(ParseCost.FIXED, readTimeout)
        .thenCompose(ok -> readBody(request, body, identity ? null : encoding))
        .thenCompose(xml -> {
          read[0] = true;
          body.finishedReading();
          // A small call is read and answered on the thread that has it (a millisecond of work); only
          // large ones go to the blocking pool. Each hand-off between threads costs latency, which a call
          // of one small image pays several times over.
          Executor where = xml.size() <= INLINE_CODEC_BYTES && !gzipAnswer ? SAME_THREAD : codecExecutor;
          return CompletableFuture.supplyAsync(() -> decode(xml), where)
              .thenCompose(call -> answer(call, start, gzipAnswer, where));
        })
        .exceptionally(error -> {
          HttpResponse r = refusal(error, start, gzipAnswer);
          // a body not read to its end leaves the connection unusable: it closes after the answer
          return read[0] ? r : closing(r);
        })
        .whenComplete((r, e) -> {
          body.close();
          inFlight.decrementAndGet();
        });
  }

  /**
   * Reads the body as it arrives, each piece counted against the request memory before more is read: the
   * bytes as sent, and (gzip or deflate) the bytes they inflate to, plus what parsing them will take. The
   * body must keep coming (imgpipe.http.body-timeout, while the node asks for more) and arrive within the
   * request deadline; sent or inflated, it may not pass max-request-bytes.
   */
  private CompletionStage<ByteString> readBody(HttpRequest request, RequestMemory.Body body, String compression) {
    ParseCost parse = new ParseCost();
    Source<ByteString, Object> bytes = request.entity().withSizeLimit(maxRequestBytes).getDataBytes()
        .via(new BodyPace(bodyTimeout))
        .mapAsync(1, chunk -> body.take(chunk.size() + (compression == null ? parse.add(chunk) : 0), readTimeout)
            .thenApply(ok -> chunk));
    if (compression != null) {
      AtomicLong inflated = new AtomicLong();
      bytes = bytes
          .via(compression.equals("gzip") ? Compression.gunzip(INFLATE_CHUNK) : Compression.inflate(INFLATE_CHUNK))
          .map(chunk -> {
            if (inflated.addAndGet(chunk.size()) > maxRequestBytes) {
              throw new RequestTooLarge();
            }
            return chunk;
          })
          .mapAsync(1, chunk -> body.take(chunk.size() + parse.add(chunk), readTimeout).thenApply(ok -> chunk));
    }
    return bytes.completionTimeout(readTimeout)
        .runFold(ByteString.emptyByteString(), ByteString::concat, materializer);
  }

  private static InetAddress client(HttpRequest request) {
    return request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress)
        .orElse(InetAddress.getLoopbackAddress());
  }

  private static HttpResponse closing(HttpResponse response) {
    return response.addHeader(Connection.create("close"));
  }

  private XmlRpcCall decode(ByteString body) {
    try (InputStream in = new ByteBuffersInputStream(body.getByteBuffers().iterator())) {
      return codec.parseRequest(in);
    } catch (XmlRpcProtocolException e) {
      throw Fault.malformedXml(e.getMessage());
    } catch (IOException e) {
      throw Fault.malformedXml("the request body could not be read: " + e.getMessage());
    }
  }

  private CompletionStage<HttpResponse> answer(XmlRpcCall call, long start, boolean gzipAnswer, Executor where) {
    String method = table.has(call.methodName()) ? call.methodName() : "unknown";
    CompletionStage<Reply> reply;
    try {
      reply = table.dispatch(call);
    } catch (RuntimeException e) {
      reply = CompletableFuture.failedFuture(e);
    }
    return reply.handleAsync((r, error) -> {
      byte[] body;
      String outcome;
      if (error == null) {
        try {
          body = codec.responseBytes(r.value());
          outcome = r.outcome().tag();
        } catch (IOException e) {
          log.warn("{}: the answer of {} could not be encoded: {}", table.service(), method, e.getMessage());
          body = codec.faultBytes(Fault.CODE, Fault.internal("the answer could not be encoded: "
              + e.getMessage()).faultString());
          outcome = "fault";
        }
      } else {
        String faultString = MethodTable.faultString(error);
        if (!(unwrap(error) instanceof Fault)) {
          log.error("{}: {} failed unexpectedly", table.service(), method, unwrap(error));
        }
        body = codec.faultBytes(Fault.CODE, faultString);
        outcome = "fault";
      }
      metrics.call(table.service(), method, outcome, System.nanoTime() - start);
      return xml(body, gzipAnswer);
    }, where);
  }

  private HttpResponse refusal(Throwable error, long start, boolean gzipAnswer) {
    Throwable t = unwrap(error);
    if (t instanceof RequestTooLarge || t instanceof akka.http.scaladsl.model.EntityStreamSizeException) {
      metrics.refused(table.service(), "too_large");
      return tooLarge();
    }
    if (t instanceof Fault f) {
      metrics.call(table.service(), "unknown", "fault", System.nanoTime() - start);
      if (f.faultString().startsWith(Fault.memory("").faultString())) {
        metrics.refused(table.service(), "no_memory");
      }
      return xml(codec.faultBytes(Fault.CODE, f.faultString()), gzipAnswer);
    }
    if (t instanceof BodyPace.Stalled stalled) {
      metrics.refused(table.service(), "body_timeout");
      return text(StatusCodes.REQUEST_TIMEOUT, (stalled.started() ? "The request body stopped arriving: no byte"
          : "The request body did not start: no byte") + " for " + Refusal.seconds(bodyTimeout)
          + " (imgpipe.http.body-timeout).\n");
    }
    if (t instanceof java.util.concurrent.TimeoutException) {
      metrics.refused(table.service(), "body_timeout");
      return text(StatusCodes.REQUEST_TIMEOUT, "The request body did not arrive within " + Refusal.seconds(readTimeout)
          + " (imgpipe.timeouts.request).\n");
    }
    log.warn("{}: the request could not be read: {}", table.service(), t.toString());
    metrics.refused(table.service(), "unreadable");
    return text(StatusCodes.BAD_REQUEST, "The request body could not be read: " + t.getClass().getSimpleName() + "\n");
  }

  private HttpResponse tooLarge() {
    return text(StatusCodes.PAYLOAD_TOO_LARGE, "Request body too large: the limit is " + maxRequestBytes
        + " bytes (imgpipe.limits.max-request-bytes).\n");
  }

  private HttpResponse xml(byte[] body, boolean gzip) {
    HttpResponse response = HttpResponse.create();
    if (gzip && body.length > GZIP_THRESHOLD_BYTES) {
      body = gzip(body);
      response = response.addHeader(ContentEncoding.create(HttpEncodings.GZIP));
    }
    return response.withEntity(HttpEntities.create(
        ContentTypes.create(MediaTypes.TEXT_XML, HttpCharsets.UTF_8), body));
  }

  private static byte[] gzip(byte[] body) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(body.length / 2 + 64);
    try (GZIPOutputStream z = new GZIPOutputStream(out, 64 * 1024) {
      {
        def.setLevel(Deflater.BEST_SPEED); // base64 of compressed images: speed matters more than a few percent
      }
    }) {
      z.write(body);
    } catch (IOException e) {
      throw new IllegalStateException("gzip into memory failed", e);
    }
    return out.toByteArray();
  }

  /** Whether the client is on this machine (the binding records the peer address on each request). */
  static boolean fromLoopback(HttpRequest request) {
    return request.getAttribute(AttributeKeys.remoteAddress)
        .flatMap(RemoteAddress::getAddress)
        .map(InetAddress::isLoopbackAddress)
        .orElse(false);
  }

  private static boolean acceptsGzip(HttpRequest request) {
    Optional<String> accept = header(request, "Accept-Encoding");
    if (accept.isEmpty()) {
      return false;
    }
    for (String part : accept.get().toLowerCase(Locale.ROOT).split(",")) {
      String[] coding = part.trim().split(";");
      if (coding[0].trim().equals("gzip") || coding[0].trim().equals("*")) {
        return !(coding.length > 1 && coding[1].replace(" ", "").matches("q=0(\\.0*)?"));
      }
    }
    return false;
  }

  private static Optional<String> header(HttpRequest request, String name) {
    return request.getHeader(name).map(HttpHeader::value);
  }

  private CompletionStage<HttpResponse> discardThen(HttpRequest request, HttpResponse response) {
    request.discardEntityBytes(materializer);
    return CompletableFuture.completedFuture(response);
  }

  private static HttpResponse text(StatusCode status, String body) {
    return HttpResponse.create().withStatus(status).withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, body));
  }

  private static Throwable unwrap(Throwable t) {
    while ((t instanceof CompletionException || t instanceof java.util.concurrent.ExecutionException)
        && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  /** The request body, as sent or once decompressed, is larger than the limit. */
  private static final class RequestTooLarge extends RuntimeException {
    private static final long serialVersionUID = 1L;

    RequestTooLarge() {
      super("request body too large", null, false, false);
    }
  }

  /** Reads a ByteString's buffers in place, without first copying them into one array. */
  private static final class ByteBuffersInputStream extends InputStream {
    private final Iterator<ByteBuffer> buffers;
    private ByteBuffer current = ByteBuffer.allocate(0);

    ByteBuffersInputStream(Iterator<ByteBuffer> buffers) {
      this.buffers = buffers;
    }

    private boolean next() {
      while (!current.hasRemaining()) {
        if (!buffers.hasNext()) {
          return false;
        }
        current = buffers.next();
      }
      return true;
    }

    @Override
    public int read() {
      return next() ? current.get() & 0xff : -1;
    }

    @Override
    public int read(byte[] b, int off, int len) {
      if (len == 0) {
        return 0;
      }
      if (!next()) {
        return -1;
      }
      int n = Math.min(len, current.remaining());
      current.get(b, off, n);
      return n;
    }
  }
}
