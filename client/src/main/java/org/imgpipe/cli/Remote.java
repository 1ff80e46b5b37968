package org.imgpipe.cli;

import java.io.IOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.Socket;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.Map;
import org.imgpipe.demo.BusyRetry;
import org.imgpipe.demo.PipelineService;
import org.imgpipe.xmlrpc.client.ImgpipeClient;
import org.imgpipe.xmlrpc.client.XmlRpcFault;

/**
 * One service of one node as the CLI talks to it: calls with a bounded busy retry, and failures turned
 * into one line that says what to check (wrong address, nothing listening, timeout, fault).
 */
final class Remote {

  /** A call on the client, for {@link #call}. */
  interface Call {
    Map<String, Object> on(ImgpipeClient client) throws XmlRpcFault, IOException;
  }

  private final Endpoint endpoint;
  private final ImgpipeClient client;
  private final Duration timeout;
  private final BusyRetry retry;

  Remote(Endpoint endpoint, Duration timeout, BusyRetry retry) {
    this.endpoint = endpoint;
    this.timeout = timeout;
    this.retry = retry;
    try {
      this.client = new ImgpipeClient(endpoint.host(), endpoint.port(), timeout);
    } catch (IllegalArgumentException e) {
      throw new CliException("'" + endpoint.host() + "' is not a valid host name or address");
    }
  }

  Endpoint endpoint() {
    return endpoint;
  }

  ImgpipeClient client() {
    return client;
  }

  /**
   * Runs {@code call}; a "busy" answer (success false saying so) is retried with backoff up to the
   * retry policy's attempts, and the last answer is returned.
   *
   * @throws CliException when the call got no answer, or a fault
   */
  Map<String, Object> call(Call call) {
    int attempt = 0;
    while (true) {
      attempt++;
      Map<String, Object> answer;
      try {
        answer = call.on(client);
      } catch (XmlRpcFault f) {
        throw new CliException(endpoint + " answered with a fault: " + f.faultString(), f);
      } catch (IOException e) {
        if (BusyRetry.isBusy(e.getMessage()) && attempt < retry.maxAttempts()) {
          pause(retry.delayAfter(attempt));
          continue;
        }
        throw new CliException(describe(e, endpoint, timeout), e);
      }
      Object ok = answer.get("success");
      if (Boolean.FALSE.equals(ok) && BusyRetry.isBusy(String.valueOf(answer.get("message")))
          && attempt < retry.maxAttempts()) {
        pause(retry.delayAfter(attempt));
        continue;
      }
      return answer;
    }
  }

  /** process_image as the batch runner wants it: transport failures thrown with a clear message. */
  PipelineService pipeline() {
    return (filename, image, options) -> {
      try {
        return client.processImage(filename, image, options);
      } catch (XmlRpcFault f) {
        throw new IOException(endpoint + " answered with a fault: " + f.faultString(), f);
      } catch (IOException e) {
        throw new IOException(describe(e, endpoint, timeout), e);
      }
    };
  }

  /** One line for a call that got no answer. */
  static String describe(Throwable e, Endpoint endpoint, Duration timeout) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof ConnectException) {
        return "nothing answers on " + endpoint + " (connection refused): is an imgpipe node with that "
            + "service running there? Start one with ./imgpipe node, or give the right address";
      }
      if (t instanceof UnknownHostException) {
        return "unknown host '" + endpoint.host() + "': check the address";
      }
      if (t instanceof NoRouteToHostException) {
        return "no route to " + endpoint + ": check the address, the network and the firewall";
      }
      if (t instanceof SocketTimeoutException) {
        return endpoint + " did not answer within " + timeout.toSeconds() + " s (timed out); the node may be "
            + "overloaded, or a firewall drops the traffic";
      }
    }
    String m = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return "call to " + endpoint + " failed: " + m.replaceAll("\\s*\\R\\s*", " ");
  }

  /** Whether something accepts TCP connections on the endpoint within {@code timeout}. */
  static boolean listening(Endpoint endpoint, Duration timeout) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress(endpoint.host(), endpoint.port()), (int) timeout.toMillis());
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void pause(Duration d) {
    try {
      Thread.sleep(d.toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException("interrupted");
    }
  }
}
