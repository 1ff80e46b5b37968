package org.imgpipe.bridge;

import akka.util.ByteString;

/**
 * An upper bound of the heap that parsing an XML-RPC document will take, worked out from its bytes as they
 * arrive, before it is parsed. Base64 text is cheap to parse ({@code Base64Parser} holds 1.5 bytes per
 * character at its peak); every other byte is charged as the dearest text can be (a string grows in a
 * doubling buffer, may widen to two bytes a character, and is copied once more at its end; comments,
 * attribute values and processing instructions are collected by the XML parser the same way); each element
 * is charged for the objects a value leaves behind. Only text that certainly is the content of a plain
 * {@code <base64>} element gets the cheap rate; anything the scan is unsure of is charged in full. The
 * figures are upper bounds of what a parse allocates in all, measured ({@code ParseCostTest}), which bounds
 * what it holds at once.
 */
final class ParseCost {

  /** Heap per byte of base64 text: {@code Base64Parser}'s peak, rounded up. */
  static final double BASE64_BYTE = 1.6;
  /** Heap per byte of any other text or markup. */
  static final double OTHER_BYTE = 10;
  /** Heap per element, for the objects its value leaves behind and the parser's own per element. */
  static final long ELEMENT = 64;
  /** Heap of one parse whatever the document (the XML reader's buffers, a base64 decoding window). */
  static final long FIXED = 64 * 1024;

  private enum Where { TEXT, BASE64, TAG, COMMENT, PI, CDATA }

  private static final java.util.regex.Pattern ENCODING =
      java.util.regex.Pattern.compile("encoding\\s*=\\s*[\"']([A-Za-z0-9._-]*)[\"']");
  private static final java.util.Set<String> ASCII_ENCODINGS =
      java.util.Set.of("utf-8", "utf8", "us-ascii", "ascii", "iso-8859-1", "latin1");

  private Where where = Where.TEXT;
  /**
   * Whether the document's bytes are its characters for the markup (UTF-8 and other ASCII-compatible
   * encodings): only then is a plain {@code <base64>} tag in the bytes one in the document.
   */
  private boolean asciiMarkup = true;
  private boolean started;
  private StringBuilder declaration;
  private final StringBuilder tag = new StringBuilder();
  private boolean tagHasMore;
  private char quote;
  private int tail;
  private long base64Bytes;
  private long otherBytes;
  private long elements;

  /** The cost of the whole document read so far. */
  long bytes() {
    return FIXED + (long) Math.ceil(base64Bytes * BASE64_BYTE) + (long) Math.ceil(otherBytes * OTHER_BYTE)
        + elements * ELEMENT;
  }

  /** Reads the next bytes of the document; answers how much they add to {@link #bytes()}. */
  long add(ByteString chunk) {
    long before = bytes();
    for (int i = 0; i < chunk.size(); i++) {
      next((char) (chunk.apply(i) & 0xff));
    }
    return bytes() - before;
  }

  private void next(char c) {
    if (c == 0) {
      asciiMarkup = false; // UTF-16 or UTF-32
    }
    if (!started && c != ' ' && c != '\t' && c != '\r' && c != '\n') {
      started = true;
      asciiMarkup &= c == '<'; // else a byte order mark or a foreign encoding
    }
    switch (where) {
      case BASE64 -> {
        if (c == '<') {
          otherBytes++;
          startTag();
        } else if (asciiMarkup) {
          base64Bytes++;
        } else {
          otherBytes++;
        }
        return;
      }
      case TEXT -> {
        if (c == '<') {
          startTag();
        }
      }
      case TAG -> tag(c);
      case COMMENT -> {
        if (c == '>' && tail == ('-' << 8 | '-')) {
          where = Where.TEXT;
        }
      }
      case PI -> {
        if (declaration != null && declaration.length() < 256) {
          declaration.append(c);
        }
        if (c == '>' && (tail & 0xff) == '?') {
          where = Where.TEXT;
          if (declaration != null) {
            java.util.regex.Matcher m = ENCODING.matcher(declaration);
            asciiMarkup &= !m.find() || ASCII_ENCODINGS.contains(m.group(1).toLowerCase(java.util.Locale.ROOT));
            declaration = null;
          }
        }
      }
      case CDATA -> {
        if (c == '>' && tail == (']' << 8 | ']')) {
          where = Where.TEXT;
        }
      }
      default -> throw new IllegalStateException();
    }
    tail = (tail << 8 | c) & 0xffff;
    otherBytes++;
  }

  private void startTag() {
    where = Where.TAG;
    tag.setLength(0);
    tagHasMore = false;
    quote = 0;
    elements++;
  }

  private void tag(char c) {
    if (quote != 0) {
      if (c == quote) {
        quote = 0;
      }
      return;
    }
    if (tag.length() < 8 && !tagHasMore) {
      tag.append(c);
      String t = tag.toString();
      if (t.equals("!--")) {
        where = Where.COMMENT;
        tail = 0;
        return;
      }
      if (t.equals("![CDATA[")) {
        where = Where.CDATA;
        tail = 0;
        return;
      }
      if (t.equals("?")) {
        where = Where.PI;
        tail = 0;
        // the XML declaration (a processing instruction before the root element) may name the encoding
        declaration = elements == 1 ? new StringBuilder() : null;
        return;
      }
    } else if (c != '>') {
      tagHasMore = true;
    }
    if (c == '"' || c == '\'') {
      quote = c;
      tagHasMore = true;
    } else if (c == '>') {
      where = !tagHasMore && tag.toString().equals("base64>") ? Where.BASE64 : Where.TEXT;
    }
  }
}
