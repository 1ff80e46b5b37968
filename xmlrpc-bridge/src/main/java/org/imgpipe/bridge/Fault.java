package org.imgpipe.bridge;

/**
 * A protocol error, answered as an XML-RPC fault (faultCode 1, HTTP 200) like the original's. The
 * faultString keeps the original's {@code <class 'Type'>:text} shape, with the Python exception type a
 * Python server would have raised, so clients that match on it keep working; the text is ours and names
 * the problem.
 */
public final class Fault extends RuntimeException {
  private static final long serialVersionUID = 1L;

  /** The original's only fault code. */
  public static final int CODE = 1;

  private Fault(String pythonType, String text) {
    super("<class '" + pythonType + "'>:" + text, null, false, false);
  }

  public String faultString() {
    return getMessage();
  }

  public static Fault unknownMethod(String method) {
    return new Fault("Exception", "method \"" + method + "\" is not supported");
  }

  public static Fault typeError(String text) {
    return new Fault("TypeError", text);
  }

  public static Fault valueError(String text) {
    return new Fault("ValueError", text);
  }

  public static Fault malformedXml(String text) {
    return new Fault("xml.parsers.expat.ExpatError", text);
  }

  /** The node has no room for the call now (Python would raise MemoryError). */
  public static Fault memory(String text) {
    return new Fault("MemoryError", text);
  }

  /** The call ran out of time (Python would raise TimeoutError). */
  public static Fault timeout(String text) {
    return new Fault("TimeoutError", text);
  }

  public static Fault internal(String text) {
    return new Fault("Exception", text);
  }
}
