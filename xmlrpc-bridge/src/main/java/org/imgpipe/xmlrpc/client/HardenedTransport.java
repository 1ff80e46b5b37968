package org.imgpipe.xmlrpc.client;

import java.io.IOException;
import java.io.InputStream;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcSun15HttpTransport;
import org.apache.xmlrpc.common.XmlRpcStreamRequestConfig;
import org.imgpipe.xmlrpc.XmlRpcCodec;
import org.imgpipe.xmlrpc.XmlRpcProtocolException;
import org.imgpipe.xmlrpc.XmlRpcResponse;

/**
 * The fork's java.net transport, with the response read by the hardened {@link XmlRpcCodec} instead of the
 * stock parser: no DOCTYPE, shape limits, and a fault's cause never deserialized.
 */
final class HardenedTransport extends XmlRpcSun15HttpTransport {

  private final XmlRpcCodec codec;

  HardenedTransport(XmlRpcClient client, XmlRpcCodec codec) {
    super(client);
    this.codec = codec;
  }

  @Override
  protected Object readResponse(XmlRpcStreamRequestConfig config, InputStream in) throws XmlRpcException {
    XmlRpcResponse response;
    try (InputStream body = in) {
      response = codec.parseResponse(body);
    } catch (XmlRpcProtocolException e) {
      throw new XmlRpcException("unreadable XML-RPC response: " + e.getMessage());
    } catch (IOException e) {
      throw new XmlRpcException("reading the XML-RPC response failed: " + e.getMessage(), e);
    }
    if (response.fault()) {
      throw new FaultReceived(response.faultCode(), response.faultString());
    }
    return response.value();
  }

  /** Carries a server's fault out of the fork's client, to become an {@link XmlRpcFault}. */
  static final class FaultReceived extends XmlRpcException {
    private static final long serialVersionUID = 1L;

    FaultReceived(int code, String faultString) {
      super(code, faultString);
    }
  }
}
