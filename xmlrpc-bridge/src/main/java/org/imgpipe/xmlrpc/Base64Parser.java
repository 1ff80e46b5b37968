package org.imgpipe.xmlrpc;

import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.xml.namespace.QName;
import org.apache.xmlrpc.parser.TypeParserImpl;
import org.xml.sax.Attributes;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads a {@code <base64>} value in one pass and in bounded steps: the parser's characters (line breaks
 * and blanks dropped) fill a window of {@link #WINDOW} base64 characters (one per thread, reused), each full
 * window is decoded at once by the JDK's decoder into a block, and the blocks are joined into the value at
 * the end tag. What one value allocates, and so at most holds, is its blocks plus the joined value: 1.5
 * bytes per base64 character ({@link #PEAK_BYTES_PER_CHAR}). The fork's parser, and an earlier version of
 * this one that kept the whole text in a doubling buffer, held up to 3.5, and allocated 64 KiB for every
 * value however small.
 */
final class Base64Parser extends TypeParserImpl {

  /** Base64 characters decoded at a time: a multiple of 4, so that each window decodes on its own. */
  static final int WINDOW = 64 * 1024;

  /** Heap one value holds at its peak, per base64 character (the decoded blocks and the joined value). */
  static final double PEAK_BYTES_PER_CHAR = 1.5;

  private static final ThreadLocal<byte[]> WINDOWS = ThreadLocal.withInitial(() -> new byte[WINDOW]);

  private int level;
  private byte[] window;
  private int length;
  private List<byte[]> blocks;
  private long decodedBytes;
  private boolean padded;

  @Override
  public void startDocument() {
    level = 0;
  }

  @Override
  public void startElement(String uri, String localName, String qName, Attributes attrs) throws SAXException {
    if (level++ != 0) {
      throw new SAXParseException("Unexpected start tag in atomic element: " + new QName(uri, localName),
          getDocumentLocator());
    }
    window = WINDOWS.get();
    length = 0;
    blocks = new ArrayList<>();
    decodedBytes = 0;
    padded = false;
  }

  @Override
  public void characters(char[] chars, int start, int count) throws SAXException {
    if (window == null) {
      if (!isEmpty(chars, start, count)) {
        throw new SAXParseException("Unexpected non-whitespace characters", getDocumentLocator());
      }
      return;
    }
    for (int i = start, end = start + count; i < end; i++) {
      char c = chars[i];
      if (c > ' ') {
        if (c > 0x7F || padded) {
          // not base64, or more data after the padding that ended it
          throw decodeError(null);
        }
        if (length == WINDOW) {
          decodeWindow();
        }
        window[length++] = (byte) c;
      } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
        throw decodeError(null);
      }
    }
  }

  /** Decodes the full window into a block; padding in it must end the value. */
  private void decodeWindow() throws SAXParseException {
    byte[] block = decode(window, length);
    blocks.add(block);
    decodedBytes += block.length;
    padded = window[length - 1] == '=';
    length = 0;
  }

  private byte[] decode(byte[] ascii, int n) throws SAXParseException {
    try {
      // the JDK sizes the answer from the padding: its array is exactly the decoded bytes
      java.nio.ByteBuffer decoded = Base64.getDecoder().decode(java.nio.ByteBuffer.wrap(ascii, 0, n));
      byte[] bytes = decoded.array();
      return decoded.remaining() == bytes.length ? bytes : java.util.Arrays.copyOf(bytes, decoded.remaining());
    } catch (IllegalArgumentException e) {
      throw decodeError(e);
    }
  }

  private SAXParseException decodeError(Exception cause) {
    return new SAXParseException("Failed to decode base64 stream.", getDocumentLocator(), cause);
  }

  @Override
  public void endElement(String uri, String localName, String qName) throws SAXException {
    if (--level != 0) {
      throw new SAXParseException("Unexpected end tag in atomic element: " + new QName(uri, localName),
          getDocumentLocator());
    }
    try {
      byte[] last = length == 0 ? new byte[0] : decode(window, length);
      if (blocks.isEmpty()) {
        setResult(last);
        return;
      }
      long total = decodedBytes + last.length;
      if (total > Integer.MAX_VALUE - 8) {
        throw decodeError(null);
      }
      byte[] value = new byte[(int) total];
      int at = 0;
      for (byte[] b : blocks) {
        System.arraycopy(b, 0, value, at, b.length);
        at += b.length;
      }
      System.arraycopy(last, 0, value, at, last.length);
      setResult(value);
    } finally {
      window = null;
      blocks = null;
    }
  }
}
