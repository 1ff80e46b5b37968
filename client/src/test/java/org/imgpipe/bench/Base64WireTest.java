package org.imgpipe.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Random;
import org.imgpipe.xmlrpc.XmlRpcCall;
import org.imgpipe.xmlrpc.XmlRpcCodec;
import org.imgpipe.xmlrpc.XmlRpcProtocolException;
import org.junit.jupiter.api.Test;

/** The one-pass base64 reader behind the photo workload's request parsing. */
class Base64WireTest {

  private final XmlRpcCodec codec = new XmlRpcCodec(new XmlRpcCodec.Limits(64, 10_000));

  private XmlRpcCall parse(String base64Text) throws Exception {
    String xml = "<?xml version='1.0'?><methodCall><methodName>m</methodName><params><param><value><base64>"
        + base64Text + "</base64></value></param></params></methodCall>";
    return codec.parseRequest(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void pythonStyleLinesOfAMultiMegabyteValueDecodeExactly() throws Exception {
    byte[] data = new byte[3 * 1024 * 1024 + 7];
    new Random(3).nextBytes(data);
    String mime = "\n" + Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(data) + "\n";
    assertArrayEquals(data, (byte[]) parse(mime).params().get(0));
    // and what the codec itself writes reads back the same
    byte[] written = codec.requestBytes("m", List.of(data));
    assertArrayEquals(data, (byte[]) codec.parseRequest(new ByteArrayInputStream(written)).params().get(0));
  }

  @Test
  void emptyBlankAndCrLfValuesWork() throws Exception {
    assertArrayEquals(new byte[0], (byte[]) parse("").params().get(0));
    assertArrayEquals(new byte[0], (byte[]) parse(" \r\n\t").params().get(0));
    assertArrayEquals("hello".getBytes(StandardCharsets.US_ASCII), (byte[]) parse("aGVs\r\nbG8=").params().get(0));
  }

  @Test
  void foreignCharactersAndBadPaddingAreMalformedRequests() {
    assertThrows(XmlRpcProtocolException.class, () -> parse("aGVs*bG8="));
    assertThrows(XmlRpcProtocolException.class, () -> parse("aGVsbG8=aGVs"));
    assertThrows(XmlRpcProtocolException.class, () -> parse("aGVsbG\u00e98="));
    XmlRpcProtocolException e = assertThrows(XmlRpcProtocolException.class, () -> parse("<i4>1</i4>"));
    assertEquals(true, e.getMessage() != null);
  }
}
