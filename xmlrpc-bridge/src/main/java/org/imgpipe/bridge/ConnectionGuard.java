package org.imgpipe.bridge;

import akka.stream.Attributes;
import akka.stream.BidiShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.TimerGraphStageLogic;
import akka.util.ByteString;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The bytes of one connection between the socket and Akka HTTP's server layer, checked where Akka HTTP
 * 10.5.3 has no check of its own: a request's line and headers must arrive within the head timeout (Akka
 * HTTP's request-timeout starts only after them, and its idle-timeout restarts with every byte) and fit in
 * the head limit, and their framing headers must be unambiguous ({@link RequestHead}). A head is passed on
 * only once it is complete and checked; bodies pass through as they arrive, their framing followed so that
 * the next head is found where Akka HTTP will find it.
 *
 * <p>A refused connection gets its answer through Akka HTTP (see {@link ClientConnection}), after the
 * answers of earlier requests; what the client sends after the refused head is read and dropped. Whenever
 * Akka HTTP closes a connection while the client may still be sending, the socket stays open for the
 * linger time (or until nothing has come for {@link #LINGER_IDLE}), reading and dropping, so that the
 * client reads the answer rather than a reset.
 */
final class ConnectionGuard extends GraphStage<BidiShape<ByteString, ByteString, ByteString, ByteString>> {

  private static final int MAX_CHUNK_LINE = 4096;
  private static final String HEAD_TIMER = "head";
  private static final String LINGER_TIMER = "linger";
  private static final String LINGER_IDLE_TIMER = "linger-idle";
  /** A closing connection from which nothing arrives for this long is closed before its linger time is up. */
  private static final Duration LINGER_IDLE = Duration.ofMillis(250);

  private final Inlet<ByteString> fromServer = Inlet.create("ConnectionGuard.fromServer");
  private final Outlet<ByteString> toClient = Outlet.create("ConnectionGuard.toClient");
  private final Inlet<ByteString> fromClient = Inlet.create("ConnectionGuard.fromClient");
  private final Outlet<ByteString> toServer = Outlet.create("ConnectionGuard.toServer");
  private final BidiShape<ByteString, ByteString, ByteString, ByteString> shape =
      BidiShape.of(fromServer, toClient, fromClient, toServer);

  private final ClientConnection connection;
  private final Duration headTimeout;
  private final long maxHeadBytes;
  private final Duration linger;
  private final Runnable onRefused;

  /** {@code onRefused} runs once when the connection is refused (for the meters). */
  ConnectionGuard(ClientConnection connection, Duration headTimeout, long maxHeadBytes, Duration linger,
      Runnable onRefused) {
    this.connection = connection;
    this.headTimeout = headTimeout;
    this.maxHeadBytes = maxHeadBytes;
    this.linger = linger;
    this.onRefused = onRefused;
  }

  @Override
  public BidiShape<ByteString, ByteString, ByteString, ByteString> shape() {
    return shape;
  }

  private enum State { HEAD, BODY, CHUNK_SIZE, CHUNK_DATA, CHUNK_DATA_END, TRAILER, DROP }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private State state = State.HEAD;
      private ByteString head = ByteString.emptyByteString();
      private int scanFrom;
      private long remaining;
      private final StringBuilder line = new StringBuilder();
      private final ArrayDeque<ByteString> pending = new ArrayDeque<>();
      private boolean closeServerSideWhenSent;
      private boolean serverSideClosed;
      private boolean clientClosed;
      private boolean answersDone;

      {
        setHandler(fromClient, new AbstractInHandler() {
          @Override
          public void onPush() {
            ByteString bytes = grab(fromClient);
            if (state != State.DROP) {
              read(bytes);
            } else if (answersDone) {
              scheduleOnce(LINGER_IDLE_TIMER, LINGER_IDLE); // still sending: keep reading a little longer
            }
            sendToServer();
            readMore();
          }

          @Override
          public void onUpstreamFinish() {
            clientClosed = true;
            if (answersDone) {
              completeStage();
              return;
            }
            closeServerSideWhenSent = true;
            sendToServer();
          }
        });
        setHandler(toServer, new AbstractOutHandler() {
          @Override
          public void onPull() {
            sendToServer();
            readMore();
          }

          @Override
          public void onDownstreamFinish(Throwable cause) {
            // Akka HTTP reads no more requests on this connection (it closes after this answer): what
            // the client still sends is dropped until the answer is out.
            serverSideClosed = true;
            pending.clear();
            state = State.DROP;
            cancelTimer(HEAD_TIMER);
            readMore();
          }
        });
        setHandler(fromServer, new AbstractInHandler() {
          @Override
          public void onPush() {
            push(toClient, grab(fromServer));
          }

          @Override
          public void onUpstreamFinish() {
            answersDone = true;
            if (clientClosed) {
              completeStage();
            } else {
              state = State.DROP;
              pending.clear();
              cancelTimer(HEAD_TIMER);
              scheduleOnce(LINGER_TIMER, linger);
              scheduleOnce(LINGER_IDLE_TIMER, LINGER_IDLE);
              readMore();
            }
          }
        });
        setHandler(toClient, new AbstractOutHandler() {
          @Override
          public void onPull() {
            if (!hasBeenPulled(fromServer) && !isClosed(fromServer)) {
              pull(fromServer);
            }
          }
        });
      }

      @Override
      public void preStart() {
        if (connection.refusal() != null) {
          refuse(connection.refusal());
        } else {
          scheduleOnce(HEAD_TIMER, headTimeout);
        }
        pull(fromClient);
      }

      @Override
      public void onTimer(Object key) {
        if (key.equals(HEAD_TIMER) && state == State.HEAD) {
          refuse(Refusal.headTimeout(headTimeout));
          sendToServer();
          readMore();
        } else if (key.equals(LINGER_TIMER) || key.equals(LINGER_IDLE_TIMER)) {
          completeStage();
        }
      }

      /** Reads from the client while there is room: always while dropping or collecting a head. */
      private void readMore() {
        if (isClosed(fromClient) || hasBeenPulled(fromClient)) {
          return;
        }
        if (state == State.DROP || (pending.isEmpty() && (state == State.HEAD || isAvailable(toServer)))) {
          pull(fromClient);
        }
      }

      private void sendToServer() {
        if (serverSideClosed) {
          return;
        }
        if (isAvailable(toServer) && !pending.isEmpty()) {
          push(toServer, pending.poll());
        }
        if (pending.isEmpty() && closeServerSideWhenSent) {
          serverSideClosed = true;
          complete(toServer);
        }
      }

      private void read(ByteString bytes) {
        int i = 0;
        while (i < bytes.size() && state != State.DROP) {
          switch (state) {
            case HEAD -> i = readHead(bytes, i);
            case BODY, CHUNK_DATA -> {
              int n = (int) Math.min(remaining, bytes.size() - i);
              pending.add(bytes.slice(i, i + n));
              i += n;
              remaining -= n;
              if (remaining == 0) {
                if (state == State.BODY) {
                  nextHead();
                } else {
                  state = State.CHUNK_DATA_END;
                }
              }
            }
            default -> i = readChunkLine(bytes, i);
          }
        }
      }

      private void nextHead() {
        state = State.HEAD;
        head = ByteString.emptyByteString();
        scanFrom = 0;
      }

      /** Collects a head; once it is complete and acceptable, passes it on. Answers where reading stopped. */
      private int readHead(ByteString bytes, int from) {
        int i = from;
        if (head.isEmpty()) {
          // empty lines before a request line are allowed (RFC 9112, 2.2)
          while (i < bytes.size() && (bytes.apply(i) == '\r' || bytes.apply(i) == '\n')) {
            i++;
          }
          if (i == bytes.size()) {
            return i;
          }
          if (!isTimerActive(HEAD_TIMER)) {
            scheduleOnce(HEAD_TIMER, headTimeout);
          }
        }
        int before = head.size();
        head = head.concat(bytes.slice(i, bytes.size()));
        int end = headEnd();
        if (end < 0) {
          scanFrom = Math.max(0, head.size() - 3);
          if (head.size() > maxHeadBytes) {
            refuse(Refusal.headTooLarge(maxHeadBytes));
          }
          return bytes.size();
        }
        cancelTimer(HEAD_TIMER);
        if (end > maxHeadBytes) {
          refuse(Refusal.headTooLarge(maxHeadBytes));
          return bytes.size();
        }
        ByteString complete = head.slice(0, end);
        RequestHead.Accepted accepted;
        try {
          accepted = RequestHead.check(complete.toArray());
        } catch (Refusal r) {
          refuse(r);
          return bytes.size();
        }
        pending.add(complete);
        int used = i + (end - before);
        head = ByteString.emptyByteString();
        scanFrom = 0;
        if (accepted.framing() instanceof RequestHead.Length l && l.bytes() > 0) {
          state = State.BODY;
          remaining = l.bytes();
        } else if (accepted.framing() instanceof RequestHead.Chunked) {
          state = State.CHUNK_SIZE;
          line.setLength(0);
        } else {
          nextHead();
        }
        return used;
      }

      /** The index just past the head's closing CRLF CRLF, or -1. */
      private int headEnd() {
        for (int k = scanFrom; k + 3 < head.size(); k++) {
          if (head.apply(k) == '\r' && head.apply(k + 1) == '\n' && head.apply(k + 2) == '\r'
              && head.apply(k + 3) == '\n') {
            return k + 4;
          }
        }
        return -1;
      }

      /** A chunk-size line, the CRLF after a chunk's data, or a trailer line: passed on as it comes. */
      private int readChunkLine(ByteString bytes, int from) {
        int i = from;
        while (i < bytes.size()) {
          char c = (char) (bytes.apply(i++) & 0xff);
          line.append(c);
          if (c == '\n') {
            break;
          }
          if (line.length() > MAX_CHUNK_LINE) {
            brokenBody();
            return bytes.size();
          }
        }
        pending.add(bytes.slice(from, i));
        if (line.length() == 0 || line.charAt(line.length() - 1) != '\n') {
          return i;
        }
        String text = line.toString();
        line.setLength(0);
        if (!text.endsWith("\r\n")) {
          brokenBody();
          return bytes.size();
        }
        String content = text.substring(0, text.length() - 2);
        switch (state) {
          case CHUNK_SIZE -> {
            long size = chunkSize(content);
            if (size < 0) {
              brokenBody();
              return bytes.size();
            }
            if (size == 0) {
              state = State.TRAILER;
            } else {
              state = State.CHUNK_DATA;
              remaining = size;
            }
          }
          case CHUNK_DATA_END -> {
            if (!content.isEmpty()) {
              brokenBody();
              return bytes.size();
            }
            state = State.CHUNK_SIZE;
          }
          default -> {
            if (content.isEmpty()) {
              nextHead();
            }
          }
        }
        return i;
      }

      /**
       * The body's framing is not what a chunked body looks like: Akka HTTP is told the body ended there
       * (it answers the request as unreadable), and the connection ends after that answer.
       */
      private void brokenBody() {
        state = State.DROP;
        closeServerSideWhenSent = true;
      }

      /** Gives up on the connection: Akka HTTP gets the refusal's request instead, then the end. */
      private void refuse(Refusal r) {
        state = State.DROP;
        cancelTimer(HEAD_TIMER);
        connection.refuse(r);
        onRefused.run();
        pending.add(ByteString.fromString(connection.refusalRequest(), StandardCharsets.US_ASCII));
        closeServerSideWhenSent = true;
      }
    };
  }

  /** The size of a chunk-size line ("1a" or "1a;ext"), or -1 when it is not one. */
  static long chunkSize(String line) {
    int end = line.indexOf(';');
    String hex = (end < 0 ? line : line.substring(0, end)).strip();
    if (hex.isEmpty() || hex.length() > 15) {
      return -1;
    }
    long n = 0;
    for (int i = 0; i < hex.length(); i++) {
      int d = Character.digit(hex.charAt(i), 16);
      if (d < 0) {
        return -1;
      }
      n = n * 16 + d;
    }
    return n;
  }
}
