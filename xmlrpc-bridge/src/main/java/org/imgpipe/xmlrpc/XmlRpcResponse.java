package org.imgpipe.xmlrpc;

/** One decoded XML-RPC response: either a value, or a fault with its code and string. */
public record XmlRpcResponse(Object value, boolean fault, int faultCode, String faultString) {

  public static XmlRpcResponse value(Object value) {
    return new XmlRpcResponse(value, false, 0, null);
  }

  public static XmlRpcResponse fault(int code, String faultString) {
    return new XmlRpcResponse(null, true, code, faultString);
  }
}
