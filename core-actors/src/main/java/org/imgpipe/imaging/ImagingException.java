package org.imgpipe.imaging;

/**
 * A failed image operation. The message is written for the client and is safe to send as is: it
 * never holds a stack trace, a class name or an object address.
 */
public final class ImagingException extends Exception {

  public ImagingException(String message) {
    super(message);
  }

  /** The cause is kept for logs only; it never shows up in {@link #getMessage()}. */
  public ImagingException(String message, Throwable cause) {
    super(message, cause);
  }
}
