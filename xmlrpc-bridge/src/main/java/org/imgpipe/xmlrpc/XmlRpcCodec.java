package org.imgpipe.xmlrpc;

import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.CharConversionException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.ws.commons.serialize.CharSetXMLWriter;
import org.apache.xmlrpc.XmlRpcConfig;
import org.apache.xmlrpc.XmlRpcException;
import org.apache.xmlrpc.XmlRpcRequest;
import org.apache.xmlrpc.XmlRpcRequestConfig;
import org.apache.xmlrpc.common.XmlRpcController;
import org.apache.xmlrpc.common.XmlRpcHttpRequestConfigImpl;
import org.apache.xmlrpc.common.XmlRpcStreamRequestConfig;
import org.apache.xmlrpc.common.XmlRpcWorkerFactory;
import org.apache.xmlrpc.parser.XmlRpcRequestParser;
import org.apache.xmlrpc.parser.XmlRpcResponseParser;
import org.apache.xmlrpc.serializer.XmlRpcWriter;
import org.imgpipe.config.ImgpipeSettings;
import org.xml.sax.ContentHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * The hardened XML-RPC codec: the fork's request and response parsers and its writer, fed by a {@link
 * SecureXml} reader behind a {@link DocumentShapeLimit}, with extensions off and the {@link WireTypeFactory}
 * value types. Thread-safe; every call makes its own parser.
 */
public final class XmlRpcCodec {

  /** Shape limits of one document. */
  public record Limits(int maxDepth, int maxElements) {
    public static Limits from(ImgpipeSettings.Limits limits) {
      return new Limits(limits.xmlMaxDepth(), limits.xmlMaxElements());
    }

    /** Limits for a client, which trusts its server no more than a server trusts its clients. */
    public static Limits clientDefaults() {
      return new Limits(64, 1_000_000);
    }
  }

  private final Limits limits;
  private final XmlRpcHttpRequestConfigImpl config;
  private final WireTypeFactory types;

  public XmlRpcCodec(Limits limits) {
    this.limits = limits;
    this.config = wireConfig();
    this.types = new WireTypeFactory(new Controller(config));
  }

  /** Extensions and exceptions off, UTF-8: the configuration of every document on the wire. */
  public static XmlRpcHttpRequestConfigImpl wireConfig() {
    XmlRpcHttpRequestConfigImpl c = new XmlRpcHttpRequestConfigImpl();
    c.setEnabledForExtensions(false);
    c.setEnabledForExceptions(false);
    c.setEncoding(XmlRpcStreamRequestConfig.UTF8_ENCODING);
    return c;
  }

  /**
   * Reads a request. A document that is not acceptable XML-RPC (malformed, a DOCTYPE, past a shape limit,
   * bytes that are not text) is an {@link XmlRpcProtocolException}; an IOException comes only from {@code
   * in} itself.
   */
  public XmlRpcCall parseRequest(InputStream in) throws XmlRpcProtocolException, IOException {
    XmlRpcRequestParser parser = new XmlRpcRequestParser(config, types);
    parse(in, parser);
    if (parser.getMethodName() == null || parser.getMethodName().isEmpty()) {
      throw new XmlRpcProtocolException("the request has no methodName");
    }
    List<?> params = parser.getParams();
    return new XmlRpcCall(parser.getMethodName(), params == null ? List.of() : new ArrayList<Object>(params));
  }

  /**
   * Reads a response; a fault's cause, if any is sent, is never looked at. Exceptions as for {@link
   * #parseRequest}.
   */
  public XmlRpcResponse parseResponse(InputStream in) throws XmlRpcProtocolException, IOException {
    XmlRpcResponseParser parser = new XmlRpcResponseParser(config, types);
    parse(in, parser);
    if (parser.isSuccess()) {
      try {
        return XmlRpcResponse.value(parser.getResult());
      } catch (XmlRpcException e) {
        throw new XmlRpcProtocolException("malformed XML-RPC response: " + e.getMessage());
      }
    }
    return XmlRpcResponse.fault(parser.getErrorCode(), parser.getErrorMessage());
  }

  private void parse(InputStream in, ContentHandler parser) throws XmlRpcProtocolException, IOException {
    try {
      SecureXml.parse(new InputSource(in), new DocumentShapeLimit(parser, limits.maxDepth(), limits.maxElements()));
    } catch (SAXParseException e) {
      String where = e.getLineNumber() > 0 ? " (line " + e.getLineNumber() + ", column " + e.getColumnNumber() + ")" : "";
      throw new XmlRpcProtocolException(describe(e) + where);
    } catch (SAXException e) {
      throw new XmlRpcProtocolException(describe(e));
    } catch (CharConversionException e) {
      // bytes that are not text in the document's encoding: the parser reports them as an IOException
      throw new XmlRpcProtocolException("the document is not valid text in its encoding"
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
    } catch (RuntimeException e) {
      // the fork's parsers throw unchecked exceptions for some malformed values (e.g. a bad faultCode)
      throw new XmlRpcProtocolException("malformed XML-RPC document: " + e.getClass().getSimpleName());
    }
  }

  private static String describe(SAXException e) {
    Throwable t = e;
    // the fork wraps its own errors (e.g. unparsable numbers) in SAXExceptions; report the innermost text
    while (t.getCause() != null && t.getCause() != t && t.getCause() instanceof SAXException) {
      t = t.getCause();
    }
    if (e.getException() instanceof XmlRpcException x && x.getMessage() != null) {
      return x.getMessage();
    }
    String m = t.getMessage();
    return m == null || m.isBlank() ? "malformed XML-RPC document" : m;
  }

  public void writeResponse(OutputStream out, Object value) throws IOException {
    try {
      new XmlRpcWriter(config, writerFor(out), types).write(config, value);
    } catch (SAXException e) {
      throw new IOException("cannot write the XML-RPC response: " + e.getMessage(), e);
    }
  }

  /** A fault with faultCode and faultString only: no faultCause, ever. */
  public void writeFault(OutputStream out, int code, String faultString) throws IOException {
    try {
      new XmlRpcWriter(config, writerFor(out), types).write(config, code, faultString);
    } catch (SAXException e) {
      throw new IOException("cannot write the XML-RPC fault: " + e.getMessage(), e);
    }
  }

  public void writeRequest(OutputStream out, String methodName, List<?> params) throws IOException {
    XmlRpcRequest request = new XmlRpcRequest() {
      @Override
      public XmlRpcRequestConfig getConfig() {
        return config;
      }

      @Override
      public String getMethodName() {
        return methodName;
      }

      @Override
      public int getParameterCount() {
        return params.size();
      }

      @Override
      public Object getParameter(int index) {
        return params.get(index);
      }
    };
    try {
      new XmlRpcWriter(config, writerFor(out), types).write(request);
    } catch (SAXException e) {
      throw new IOException("cannot write the XML-RPC request: " + e.getMessage(), e);
    }
  }

  public byte[] responseBytes(Object value) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    writeResponse(out, value);
    return out.toByteArray();
  }

  public byte[] faultBytes(int code, String faultString) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try {
      writeFault(out, code, faultString);
    } catch (IOException e) {
      // a fault is only ever an int and a string: this cannot fail but for a broken JDK
      throw new IllegalStateException(e);
    }
    return out.toByteArray();
  }

  public byte[] requestBytes(String methodName, List<?> params) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    writeRequest(out, methodName, params);
    return out.toByteArray();
  }

  /**
   * The fork's UTF-8 writer, except for characters beyond the Basic Multilingual Plane (emoji, many CJK
   * ideographs): its writer tests each UTF-16 half on its own, finds that half not encodable, and writes a
   * character reference to it ({@code &#55357;}), which is not an XML character, so no parser reads the
   * document (found by fuzzing). Here both halves go to the UTF-8 stream, which writes the character.
   */
  public static ContentHandler writerFor(OutputStream out) {
    CharSetXMLWriter w = new CharSetXMLWriter() {
      @Override
      public boolean canEncode(char c) {
        return Character.isSurrogate(c) || super.canEncode(c);
      }
    };
    w.setEncoding(XmlRpcStreamRequestConfig.UTF8_ENCODING);
    w.setDeclarating(true);
    w.setIndenting(false);
    w.setFlushing(true);
    w.setWriter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8)));
    return w;
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }

  /** The fork's type factory wants a controller; this one only lends it the wire configuration. */
  private static final class Controller extends XmlRpcController {
    private final XmlRpcConfig config;

    Controller(XmlRpcConfig config) {
      this.config = config;
    }

    @Override
    protected XmlRpcWorkerFactory getDefaultXmlRpcWorkerFactory() {
      return null; // the codec runs no workers
    }

    @Override
    public XmlRpcConfig getConfig() {
      return config;
    }
  }
}
