package org.imgpipe.cli;

/** A command cannot go on: the message is one line for the user, printed without a stack trace. */
public class CliException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CliException(String message) {
    super(message);
  }

  public CliException(String message, Throwable cause) {
    super(message, cause);
  }
}
