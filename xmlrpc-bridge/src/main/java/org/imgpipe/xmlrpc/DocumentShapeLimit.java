package org.imgpipe.xmlrpc;

import org.xml.sax.Attributes;
import org.xml.sax.ContentHandler;
import org.xml.sax.Locator;
import org.xml.sax.SAXException;

/**
 * Passes SAX events on to the XML-RPC parser while counting nesting depth and elements, and stops the parse
 * as soon as either goes past its limit, before the fork's recursive parsers see the offending element.
 */
final class DocumentShapeLimit implements ContentHandler {

  private final ContentHandler next;
  private final int maxDepth;
  private final int maxElements;
  private int depth;
  private int elements;

  DocumentShapeLimit(ContentHandler next, int maxDepth, int maxElements) {
    this.next = next;
    this.maxDepth = maxDepth;
    this.maxElements = maxElements;
  }

  @Override
  public void startElement(String uri, String localName, String qName, Attributes atts) throws SAXException {
    if (++depth > maxDepth) {
      throw new ShapeLimitException("the document is nested deeper than " + maxDepth + " elements");
    }
    if (++elements > maxElements) {
      throw new ShapeLimitException("the document has more than " + maxElements + " elements");
    }
    next.startElement(uri, localName, qName, atts);
  }

  @Override
  public void endElement(String uri, String localName, String qName) throws SAXException {
    depth--;
    next.endElement(uri, localName, qName);
  }

  @Override
  public void setDocumentLocator(Locator locator) {
    next.setDocumentLocator(locator);
  }

  @Override
  public void startDocument() throws SAXException {
    next.startDocument();
  }

  @Override
  public void endDocument() throws SAXException {
    next.endDocument();
  }

  @Override
  public void startPrefixMapping(String prefix, String uri) throws SAXException {
    next.startPrefixMapping(prefix, uri);
  }

  @Override
  public void endPrefixMapping(String prefix) throws SAXException {
    next.endPrefixMapping(prefix);
  }

  @Override
  public void characters(char[] ch, int start, int length) throws SAXException {
    next.characters(ch, start, length);
  }

  @Override
  public void ignorableWhitespace(char[] ch, int start, int length) throws SAXException {
    next.ignorableWhitespace(ch, start, length);
  }

  @Override
  public void processingInstruction(String target, String data) throws SAXException {
    next.processingInstruction(target, data);
  }

  @Override
  public void skippedEntity(String name) throws SAXException {
    next.skippedEntity(name);
  }

  /** Thrown when a document goes past a shape limit; its message is safe to send to the client. */
  static final class ShapeLimitException extends SAXException {
    ShapeLimitException(String message) {
      super(message);
    }
  }
}
