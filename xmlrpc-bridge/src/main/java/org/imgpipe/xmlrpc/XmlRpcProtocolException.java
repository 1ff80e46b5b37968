package org.imgpipe.xmlrpc;

/** A document that is not acceptable XML-RPC; the message says why and is safe to send back to a client. */
public class XmlRpcProtocolException extends Exception {
  private static final long serialVersionUID = 1L;

  public XmlRpcProtocolException(String message) {
    super(message);
  }
}
