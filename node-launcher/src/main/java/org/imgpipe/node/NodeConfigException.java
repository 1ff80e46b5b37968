package org.imgpipe.node;

/**
 * A node cannot start as configured: a bad conf file, an unknown role, a port in use, an unreachable
 * seed. The message is one line a user can act on, printed without a stack trace.
 */
public class NodeConfigException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public NodeConfigException(String message) {
    super(message);
  }

  public NodeConfigException(String message, Throwable cause) {
    super(message, cause);
  }
}
