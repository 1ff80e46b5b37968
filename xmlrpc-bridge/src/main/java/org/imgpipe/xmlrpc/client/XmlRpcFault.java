package org.imgpipe.xmlrpc.client;

/** An XML-RPC fault answered by a server: its faultCode and faultString, and nothing else. */
public class XmlRpcFault extends Exception {
  private static final long serialVersionUID = 1L;

  private final int faultCode;
  private final String faultString;

  public XmlRpcFault(int faultCode, String faultString) {
    super("XML-RPC fault " + faultCode + ": " + faultString);
    this.faultCode = faultCode;
    this.faultString = faultString;
  }

  public int faultCode() {
    return faultCode;
  }

  public String faultString() {
    return faultString;
  }
}
