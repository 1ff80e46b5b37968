package org.imgpipe.bridge;

import akka.http.javadsl.model.StatusCode;
import akka.http.javadsl.model.StatusCodes;

/**
 * An HTTP request refused before it reached a method table: the status, a one-line text for the client,
 * and the reason the refusal meter counts (imgpipe_xmlrpc_refused_total). The connection is closed after
 * the answer.
 */
final class Refusal extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final transient StatusCode status;
  private final String reason;

  Refusal(StatusCode status, String reason, String text) {
    super(text, null, false, false);
    this.status = status;
    this.reason = reason;
  }

  StatusCode status() {
    return status;
  }

  /** The refusal meter's reason tag. */
  String reason() {
    return reason;
  }

  /** The text sent to the client. */
  String text() {
    return getMessage();
  }

  static Refusal badRequest(String text) {
    return new Refusal(StatusCodes.BAD_REQUEST, "bad_framing", "Bad request: " + text + ".");
  }

  static Refusal notImplemented(String text) {
    return new Refusal(StatusCodes.NOT_IMPLEMENTED, "bad_framing", text + ".");
  }

  static Refusal headTooLarge(long limit) {
    return new Refusal(StatusCodes.REQUEST_HEADER_FIELDS_TOO_LARGE, "head_too_large",
        "The request line and headers are larger than " + limit + " bytes (imgpipe.http.max-request-head-bytes).");
  }

  static Refusal headTimeout(java.time.Duration limit) {
    return new Refusal(StatusCodes.REQUEST_TIMEOUT, "head_timeout", "The request line and headers did not arrive "
        + "within " + seconds(limit) + " (imgpipe.http.request-head-timeout).");
  }

  static Refusal tooManyFromClient(int limit) {
    return new Refusal(StatusCodes.SERVICE_UNAVAILABLE, "client_connections", "Too many connections from your "
        + "address: at most " + limit + " at once (imgpipe.http.max-connections-per-client); retry later.");
  }

  static Refusal tooMany(int limit) {
    return new Refusal(StatusCodes.SERVICE_UNAVAILABLE, "connections", "This port has its " + limit
        + " connections open (imgpipe.http.max-connections); retry later.");
  }

  static Refusal shuttingDown() {
    return new Refusal(StatusCodes.SERVICE_UNAVAILABLE, "shutting_down", "The node is shutting down; retry on "
        + "another node.");
  }

  static String seconds(java.time.Duration d) {
    long ms = d.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + " s" : ms + " ms";
  }
}
