package org.imgpipe.xmlrpc.client;

import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.client.XmlRpcClient;
import org.apache.xmlrpc.client.XmlRpcClientConfigImpl;
import org.imgpipe.xmlrpc.XmlRpcCodec;

/**
 * A client for one imgpipe (or original Python) XML-RPC service: the fork's client over the JDK's HTTP
 * transport, extensions off, gzip asked for, connect and reply timeouts, faults as {@link XmlRpcFault}.
 * One instance serves one host:port and may be shared by threads.
 */
public final class ImgpipeClient {

  private final XmlRpcClient client;
  private final String endpoint;

  public ImgpipeClient(String host, int port, Duration timeout) {
    this(host, port, timeout, XmlRpcCodec.Limits.clientDefaults());
  }

  public ImgpipeClient(String host, int port, Duration timeout, XmlRpcCodec.Limits limits) {
    String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
    this.endpoint = "http://" + h + ":" + port + "/RPC2";
    XmlRpcClientConfigImpl config = new XmlRpcClientConfigImpl();
    try {
      config.setServerURL(new URL(endpoint));
    } catch (MalformedURLException e) {
      throw new IllegalArgumentException("not a valid host: " + host, e);
    }
    config.setEnabledForExtensions(false);
    config.setEnabledForExceptions(false);
    config.setEncoding(XmlRpcClientConfigImpl.UTF8_ENCODING);
    config.setGzipRequesting(true);
    config.setGzipCompressing(false);
    config.setContentLengthOptional(false);
    int millis = (int) Math.min(Integer.MAX_VALUE, Math.max(1, timeout.toMillis()));
    config.setConnectionTimeout(millis);
    config.setReplyTimeout(millis);
    config.setUserAgent("imgpipe-client");
    XmlRpcCodec codec = new XmlRpcCodec(limits);
    this.client = new XmlRpcClient();
    client.setConfig(config);
    client.setTypeFactory(new org.imgpipe.xmlrpc.WireTypeFactory(client));
    client.setXmlWriterFactory((cfg, out) -> XmlRpcCodec.writerFor(out)); // UTF-8, characters beyond the BMP too
    client.setTransportFactory(() -> new HardenedTransport(client, codec));
  }

  /** The URL this client posts to. */
  public String endpoint() {
    return endpoint;
  }

  /**
   * Calls a remote method with positional parameters.
   *
   * @throws XmlRpcFault the server answered with a fault
   * @throws IOException the call did not get an answer (refused, timed out, unreadable, HTTP error)
   */
  public Object call(String method, Object... params) throws XmlRpcFault, IOException {
    try {
      return client.execute(method, Arrays.asList(params));
    } catch (HardenedTransport.FaultReceived f) {
      throw new XmlRpcFault(f.code, f.getMessage());
    } catch (XmlRpcException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e.linkedException;
      String text = e.getMessage() != null ? e.getMessage() : String.valueOf(cause);
      throw new IOException(method + " on " + endpoint + " failed: " + text, cause);
    }
  }

  @SuppressWarnings("unchecked")
  private Map<String, Object> struct(String method, Object... params) throws XmlRpcFault, IOException {
    Object result = call(method, params);
    if (!(result instanceof Map)) {
      throw new IOException(method + " answered " + (result == null ? "nil" : result.getClass().getSimpleName())
          + " where a struct was expected");
    }
    return (Map<String, Object>) result;
  }

  // Resize service (50052)

  public Map<String, Object> resizeImage(byte[] image, String imageId, int targetWidth, int targetHeight,
      boolean maintainAspectRatio) throws XmlRpcFault, IOException {
    return struct("resize_image", image, imageId, targetWidth, targetHeight, maintainAspectRatio);
  }

  public Map<String, Object> getThumbnail(byte[] image, String imageId, int size) throws XmlRpcFault, IOException {
    return struct("get_thumbnail", image, imageId, size);
  }

  // Filter service (50053)

  public Map<String, Object> applyFilter(byte[] image, String imageId, String filterType, double intensity)
      throws XmlRpcFault, IOException {
    return struct("apply_filter", image, imageId, filterType, intensity);
  }

  public Map<String, Object> batchFilter(byte[] image, String imageId, List<String> filters)
      throws XmlRpcFault, IOException {
    return struct("batch_filter", image, imageId, filters.toArray());
  }

  // Watermark service (50054)

  public Map<String, Object> addTextWatermark(byte[] image, String imageId, String text, String position,
      int fontSize, String color, double opacity) throws XmlRpcFault, IOException {
    return struct("add_text_watermark", image, imageId, text, position, fontSize, color, opacity);
  }

  public Map<String, Object> addLogoWatermark(byte[] image, String imageId, byte[] logo, String position,
      double scale, double opacity) throws XmlRpcFault, IOException {
    return struct("add_logo_watermark", image, imageId, logo, position, scale, opacity);
  }

  // Format service (50056)

  public Map<String, Object> convertFormat(byte[] image, String imageId, String formatType, int quality)
      throws XmlRpcFault, IOException {
    return struct("convert_format", image, imageId, formatType, quality);
  }

  // Orchestrator (50055)

  public Map<String, Object> processImage(String filename, byte[] image, Map<String, ?> options)
      throws XmlRpcFault, IOException {
    return struct("process_image", filename, image, new LinkedHashMap<String, Object>(options));
  }

  public Map<String, Object> getProcessingStatus(String processId) throws XmlRpcFault, IOException {
    return struct("get_processing_status", processId);
  }

  // Introspection (every imgpipe port)

  public List<String> listMethods() throws XmlRpcFault, IOException {
    Object r = call("system.listMethods");
    return Arrays.stream((Object[]) r).map(String::valueOf).toList();
  }

  public String methodHelp(String method) throws XmlRpcFault, IOException {
    return String.valueOf(call("system.methodHelp", method));
  }
}
