package org.imgpipe.xmlrpc;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** One decoded XML-RPC request: the method name and its positional parameters ({@code <nil/>} is null). */
public record XmlRpcCall(String methodName, List<Object> params) {
  public XmlRpcCall {
    params = Collections.unmodifiableList(new ArrayList<>(params));
  }
}
