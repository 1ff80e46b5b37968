package org.imgpipe.xmlrpc;

import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.apache.ws.commons.util.NamespaceContextImpl;
import org.apache.xmlrpc.common.TypeFactoryImpl;
import org.apache.xmlrpc.common.XmlRpcController;
import org.apache.xmlrpc.common.XmlRpcStreamConfig;
import org.apache.xmlrpc.parser.I8Parser;
import org.apache.xmlrpc.parser.NullParser;
import org.apache.xmlrpc.parser.TypeParser;
import org.apache.xmlrpc.serializer.ListSerializer;
import org.apache.xmlrpc.serializer.MapSerializer;
import org.apache.xmlrpc.serializer.ObjectArraySerializer;
import org.apache.xmlrpc.serializer.TypeSerializer;
import org.apache.xmlrpc.serializer.XmlRpcWriter;
import org.xml.sax.ContentHandler;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.AttributesImpl;

/**
 * The value types of the wire, as Python's xmlrpc.client speaks them, with the fork's extensions left off.
 *
 * <p>Reading: everything the stock factory reads without extensions, plus a bare {@code <nil/>} and {@code
 * <i8>} (Python sends both without the extensions namespace). The extension types that could carry Java
 * objects (serializable, dom, ...) are never read, whatever the configuration says.
 *
 * <p>Writing: {@code <int>}, {@code <i8>} only beyond 32 bits, {@code <double>}, {@code <boolean>}, {@code
 * <string>}, {@code <base64>} wrapped at 76 characters, {@code <struct>} in the map's iteration order,
 * {@code <array>}, and {@code <nil/>}.
 */
public final class WireTypeFactory extends TypeFactoryImpl {

  private static final AttributesImpl NO_ATTRIBUTES = new AttributesImpl();

  public WireTypeFactory(XmlRpcController controller) {
    super(controller);
  }

  @Override
  public TypeParser getParser(XmlRpcStreamConfig config, NamespaceContextImpl context, String uri, String localName) {
    boolean plain = uri == null || uri.isEmpty();
    if (plain || XmlRpcWriter.EXTENSIONS_URI.equals(uri)) {
      if ("nil".equals(localName)) {
        return new NullParser();
      }
      if ("i8".equals(localName)) {
        return new I8Parser();
      }
    }
    if (!plain) {
      return null; // no extension type is ever read: the fork would deserialize Java objects for some
    }
    if ("base64".equals(localName)) {
      return new Base64Parser(); // one pass, no per-character whitespace test, no extra copy
    }
    return super.getParser(config, context, uri, localName);
  }

  @Override
  public TypeSerializer getSerializer(XmlRpcStreamConfig config, Object value) throws SAXException {
    if (value == null) {
      return NIL;
    } else if (value instanceof String) {
      return STRING;
    } else if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
      return INT;
    } else if (value instanceof Long) {
      return LONG;
    } else if (value instanceof Boolean) {
      return BOOLEAN;
    } else if (value instanceof Double || value instanceof Float) {
      return DOUBLE;
    } else if (value instanceof byte[]) {
      return BASE64;
    } else if (value instanceof Map) {
      return new MapSerializer(this, config);
    } else if (value instanceof List) {
      return new ListSerializer(this, config);
    } else if (value instanceof Object[]) {
      return new ObjectArraySerializer(this, config);
    }
    throw new SAXException("cannot send a value of type " + value.getClass().getSimpleName() + " over XML-RPC");
  }

  private static void element(ContentHandler h, String tag, String text) throws SAXException {
    h.startElement("", "value", "value", NO_ATTRIBUTES);
    h.startElement("", tag, tag, NO_ATTRIBUTES);
    char[] chars = text.toCharArray();
    h.characters(chars, 0, chars.length);
    h.endElement("", tag, tag);
    h.endElement("", "value", "value");
  }

  private static final TypeSerializer NIL = (h, v) -> {
    h.startElement("", "value", "value", NO_ATTRIBUTES);
    h.startElement("", "nil", "nil", NO_ATTRIBUTES);
    h.endElement("", "nil", "nil");
    h.endElement("", "value", "value");
  };

  private static final TypeSerializer STRING = (h, v) -> element(h, "string", (String) v);

  private static final TypeSerializer INT = (h, v) -> element(h, "int", v.toString());

  private static final TypeSerializer LONG = (h, v) -> {
    long l = (Long) v;
    element(h, l == (int) l ? "int" : "i8", Long.toString(l));
  };

  private static final TypeSerializer BOOLEAN = (h, v) -> element(h, "boolean", ((Boolean) v) ? "1" : "0");

  private static final TypeSerializer DOUBLE = (h, v) -> {
    double d = ((Number) v).doubleValue();
    if (Double.isNaN(d) || Double.isInfinite(d)) {
      throw new SAXException("cannot send " + d + " over XML-RPC: only finite doubles are allowed");
    }
    element(h, "double", Double.toString(d));
  };

  /** Base64 as Python writes it (a line break, then 76-character lines), encoded a slice at a time. */
  private static final TypeSerializer BASE64 = (h, v) -> {
    byte[] bytes = (byte[]) v;
    h.startElement("", "value", "value", NO_ATTRIBUTES);
    h.startElement("", "base64", "base64", NO_ATTRIBUTES);
    h.characters(new char[] {'\n'}, 0, 1); // also closes the start tag
    // The base64 alphabet and line breaks need no escaping: write them to the XML writer's own Writer
    // in bulk rather than through characters(), which tests and writes one character at a time.
    java.io.Writer direct = h instanceof org.apache.ws.commons.serialize.XMLWriter x ? x.getWriter() : null;
    Base64.Encoder encoder = Base64.getEncoder();
    int slice = 57 * 1024; // 57 bytes make one 76-character line
    char[] out = new char[(slice / 57) * 77];
    for (int offset = 0; offset < bytes.length; offset += slice) {
      int len = Math.min(slice, bytes.length - offset);
      byte[] encoded = encoder.encode(java.nio.ByteBuffer.wrap(bytes, offset, len)).array();
      int n = 0;
      for (int i = 0; i < encoded.length; i += 76) {
        int line = Math.min(76, encoded.length - i);
        for (int k = 0; k < line; k++) {
          out[n++] = (char) encoded[i + k];
        }
        out[n++] = '\n';
      }
      if (direct != null) {
        try {
          direct.write(out, 0, n);
        } catch (java.io.IOException e) {
          throw new SAXException(e);
        }
      } else {
        h.characters(out, 0, n);
      }
    }
    h.endElement("", "base64", "base64");
    h.endElement("", "value", "value");
  };
}
