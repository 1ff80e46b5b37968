package org.imgpipe.bridge;

import akka.Done;
import akka.NotUsed;
import akka.actor.typed.ActorSystem;
import akka.http.javadsl.Http;
import akka.http.javadsl.model.ContentTypes;
import akka.http.javadsl.model.HttpEntities;
import akka.http.javadsl.model.HttpRequest;
import akka.http.javadsl.model.HttpResponse;
import akka.http.javadsl.model.headers.Connection;
import akka.http.javadsl.settings.ServerSettings;
import akka.stream.KillSwitches;
import akka.stream.Materializer;
import akka.stream.SharedKillSwitch;
import akka.stream.TLSProtocol;
import akka.stream.javadsl.BidiFlow;
import akka.stream.javadsl.Flow;
import akka.stream.javadsl.Sink;
import akka.stream.javadsl.Source;
import akka.stream.javadsl.TLSPlacebo;
import akka.stream.javadsl.Tcp;
import akka.util.ByteString;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.IntSupplier;
import org.imgpipe.config.ImgpipeSettings;

/**
 * One open service port: a TCP listener whose connections each pass a {@link ConnectionGuard} on their way
 * into Akka HTTP's server layer and the port's {@link ServicePort}. Binding the socket here rather than
 * through Akka HTTP's own bind is what lets the guard see the bytes before Akka HTTP parses them, and count
 * connections per client address.
 */
final class ServiceListener {

  /**
   * How long a closing connection still reads (and drops) what the client sends, so that a client still
   * sending its body reads the answer rather than a reset.
   */
  private static final Duration LINGER = Duration.ofSeconds(2);

  /** A refused connection from which nothing arrives for this long is closed. */
  private static final Duration LINGER_IDLE = Duration.ofMillis(250);

  /** Akka HTTP's default listen backlog. */
  private static final int BACKLOG = 100;

  private final Tcp.ServerBinding binding;
  private final SharedKillSwitch connections;
  private final AtomicBoolean terminating;
  private final IntSupplier callsInFlight;
  private final ActorSystem<?> system;

  private ServiceListener(Tcp.ServerBinding binding, SharedKillSwitch connections, AtomicBoolean terminating,
      IntSupplier callsInFlight, ActorSystem<?> system) {
    this.binding = binding;
    this.connections = connections;
    this.terminating = terminating;
    this.callsInFlight = callsInFlight;
    this.system = system;
  }

  /**
   * Opens {@code host:port} for {@code port}'s service; {@code settings} are Akka HTTP's for the port,
   * {@code edge} imgpipe's connection guards.
   */
  static CompletionStage<ServiceListener> bind(ActorSystem<?> system, String host, int portNumber, ServicePort port,
      ServerSettings settings, ImgpipeSettings.HttpEdge edge, BridgeMetrics metrics) {
    Materializer materializer = Materializer.matFromSystem(system);
    SharedKillSwitch kill = KillSwitches.shared("imgpipe-" + port.service());
    AtomicBoolean terminating = new AtomicBoolean(false);
    ConnectionLimits limits = new ConnectionLimits(edge.maxConnections(), edge.maxConnectionsPerClient());
    scala.concurrent.duration.Duration idle = settings.getTimeouts().idleTimeout();
    Optional<Duration> idleTimeout = idle.isFinite() ? Optional.of(Duration.ofNanos(idle.toNanos())) : Optional.empty();
    @SuppressWarnings({"unchecked", "rawtypes"})
    BidiFlow<TLSProtocol.SslTlsOutbound, ByteString, ByteString, TLSProtocol.SslTlsInbound, NotUsed> plain =
        (BidiFlow) TLSPlacebo.getInstance(); // SessionBytes are SslTlsInbound: only the declared type widens

    CompletionStage<Tcp.ServerBinding> bound = Tcp.get(system)
        .bind(host, portNumber, BACKLOG, List.of(), false, idleTimeout)
        .to(Sink.foreach(incoming -> {
          InetSocketAddress remote = incoming.remoteAddress();
          Refusal atAccept = limits.opened(remote.getAddress());
          if (atAccept != null) {
            // a fresh connection has no answer pending: the refusal is written straight away, without the
            // cost of an HTTP server layer (an attacker opening connections by the thousand pays more than we do)
            metrics.refused(port.service(), atAccept.reason());
            incoming.handleWith(refusedAtAccept(atAccept).watchTermination((notUsed, done) -> {
              done.whenComplete((d, e) -> limits.closed(remote.getAddress()));
              return notUsed;
            }), materializer);
            return;
          }
          ClientConnection connection = new ClientConnection(remote);
          ConnectionGuard guard = new ConnectionGuard(connection, edge.requestHeadTimeout(), edge.maxRequestHeadBytes(),
              LINGER, () -> metrics.refused(port.service(), connection.refusal().reason()));
          Flow<ByteString, ByteString, NotUsed> server = Http.get(system)
              .serverLayer(settings, Optional.of(remote), system.classicSystem().log())
              .atop(plain)
              .atop(BidiFlow.fromGraph(guard))
              .reversed()
              .join(handler(connection, port, terminating, metrics, materializer));
          incoming.handleWith(Flow.of(ByteString.class).via(kill.flow()).via(server)
              .watchTermination((notUsed, done) -> {
                done.whenComplete((d, e) -> limits.closed(remote.getAddress()));
                return notUsed;
              }), materializer);
        }))
        .run(materializer);
    return bound.thenApply(b -> new ServiceListener(b, kill, terminating, port::callsInFlight, system));
  }

  /**
   * A connection refused as it is accepted: the refusal's answer, then whatever the client sends is read and
   * dropped until it has sent nothing for a moment (so that it reads the answer rather than a reset).
   */
  private static Flow<ByteString, ByteString, NotUsed> refusedAtAccept(Refusal r) {
    byte[] text = (r.text() + "\n").getBytes(java.nio.charset.StandardCharsets.UTF_8);
    String head = "HTTP/1.1 " + r.status().intValue() + " " + r.status().reason() + "\r\n"
        + "Content-Type: text/plain; charset=UTF-8\r\nContent-Length: " + text.length + "\r\nConnection: close\r\n\r\n";
    ByteString answer = ByteString.fromString(head, java.nio.charset.StandardCharsets.US_ASCII).concat(ByteString.fromArray(text));
    return Flow.fromSinkAndSourceCoupled(
        Flow.of(ByteString.class).idleTimeout(LINGER_IDLE).to(Sink.ignore()),
        Source.single(answer).concat(Source.<ByteString>maybe().takeWithin(LINGER)));
  }

  /** The requests of one connection, one at a time (Akka HTTP's pipelining limit is 1). */
  private static Flow<HttpRequest, HttpResponse, NotUsed> handler(ClientConnection connection, ServicePort port,
      AtomicBoolean terminating, BridgeMetrics metrics, Materializer materializer) {
    return Flow.of(HttpRequest.class).mapAsync(1, request -> {
      if (connection.isRefusalRequest(request.getUri().path())) {
        return CompletableFuture.completedFuture(answer(connection.refusal()));
      }
      if (terminating.get()) {
        request.discardEntityBytes(materializer);
        Refusal r = Refusal.shuttingDown();
        metrics.refused(port.service(), r.reason());
        return CompletableFuture.completedFuture(answer(r));
      }
      return port.apply(request);
    });
  }

  /** A refusal's answer: its status and text, and the connection closes after it. */
  static HttpResponse answer(Refusal r) {
    return HttpResponse.create().withStatus(r.status())
        .withEntity(HttpEntities.create(ContentTypes.TEXT_PLAIN_UTF8, r.text() + "\n"))
        .addHeader(Connection.create("close"));
  }

  InetSocketAddress localAddress() {
    return binding.localAddress();
  }

  /**
   * Stops accepting connections; requests that arrive from now on get 503; the calls in progress may
   * finish within {@code drain}; then every connection is closed.
   */
  CompletionStage<Done> terminate(Duration drain) {
    terminating.set(true);
    long deadline = System.nanoTime() + drain.toNanos();
    return binding.unbind().thenCompose(unbound -> callsDone(deadline)).thenApply(done -> {
      connections.shutdown();
      return Done.getInstance();
    });
  }

  private CompletionStage<Done> callsDone(long deadline) {
    if (callsInFlight.getAsInt() == 0 || System.nanoTime() >= deadline) {
      return CompletableFuture.completedFuture(Done.getInstance());
    }
    return CompletableFuture.supplyAsync(() -> null,
            CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS, system.executionContext()))
        .thenCompose(x -> callsDone(deadline));
  }
}
