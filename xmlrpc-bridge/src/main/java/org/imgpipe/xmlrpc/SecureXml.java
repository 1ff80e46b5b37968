package org.imgpipe.xmlrpc;

import javax.xml.XMLConstants;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.parsers.SAXParserFactory;
import org.xml.sax.ErrorHandler;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;
import org.xml.sax.XMLReader;

/**
 * The one place that makes XML readers for XML-RPC documents: no DOCTYPE, no entities from outside, no DTD
 * loading, secure processing on. A document with a DOCTYPE fails before any entity is declared, which rules
 * out XXE and entity-expansion bombs alike.
 */
public final class SecureXml {

  private static final SAXParserFactory FACTORY = newFactory();

  /** Errors end the parse as exceptions (the default handler would also print them to stderr). */
  private static final ErrorHandler QUIET = new ErrorHandler() {
    @Override
    public void warning(SAXParseException e) {
      // warnings do not stop a parse and are not worth a log line
    }

    @Override
    public void error(SAXParseException e) throws SAXException {
      throw e;
    }

    @Override
    public void fatalError(SAXParseException e) throws SAXException {
      throw e;
    }
  };

  private SecureXml() {}

  private static SAXParserFactory newFactory() {
    SAXParserFactory f = SAXParserFactory.newInstance();
    f.setNamespaceAware(true); // the fork's parsers read local names and namespace URIs
    f.setValidating(false);
    f.setXIncludeAware(false);
    try {
      f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
      f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      f.setFeature("http://xml.org/sax/features/external-general-entities", false);
      f.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
      f.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("the JDK's SAX parser does not support a required security feature", e);
    }
    return f;
  }

  /** One reader per thread, reused: building a Xerces pipeline costs more than parsing a small call. */
  private static final ThreadLocal<XMLReader> READERS = ThreadLocal.withInitial(SecureXml::newReader);

  private static final org.xml.sax.helpers.DefaultHandler NOTHING = new org.xml.sax.helpers.DefaultHandler();

  /**
   * Parses one document with this thread's hardened reader and {@code handler}. The reader forgets the
   * handler afterwards (so a parsed image is not kept alive by the thread), and a reader whose parse
   * failed is dropped rather than reused.
   */
  public static void parse(org.xml.sax.InputSource source, org.xml.sax.ContentHandler handler)
      throws SAXException, java.io.IOException {
    XMLReader reader = READERS.get();
    boolean clean = false;
    try {
      reader.setContentHandler(handler);
      reader.parse(source);
      clean = true;
    } finally {
      reader.setContentHandler(NOTHING);
      if (!clean) {
        READERS.remove();
      }
    }
  }

  /** A fresh, hardened reader (readers are not thread-safe; the factory is only read). */
  public static XMLReader newReader() {
    try {
      XMLReader reader = FACTORY.newSAXParser().getXMLReader();
      reader.setProperty(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      reader.setProperty(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      reader.setEntityResolver((publicId, systemId) -> {
        throw new SAXException("external entities are not allowed");
      });
      reader.setErrorHandler(QUIET);
      return reader;
    } catch (ParserConfigurationException | SAXException e) {
      throw new IllegalStateException("cannot create a hardened SAX parser", e);
    }
  }
}
