package org.imgpipe.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class XmlRpcCodecTest {

  private final XmlRpcCodec codec = new XmlRpcCodec(new XmlRpcCodec.Limits(64, 200_000));

  private XmlRpcCall request(String xml) throws Exception {
    return codec.parseRequest(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
  }

  private static String call(String method, String params) {
    return "<?xml version='1.0'?>\n<methodCall>\n<methodName>" + method + "</methodName>\n<params>\n"
        + params + "</params>\n</methodCall>\n";
  }

  private static String param(String value) {
    return "<param>\n<value>" + value + "</value>\n</param>\n";
  }

  @Test
  void readsWhatPythonSends() throws Exception {
    byte[] image = new byte[1000];
    for (int i = 0; i < image.length; i++) {
      image[i] = (byte) (i * 7);
    }
    String wrapped = java.util.Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(image);
    XmlRpcCall c = request(call("resize_image",
        param("<base64>\n" + wrapped + "\n</base64>")
            + param("<string>img-1</string>")
            + param("<int>800</int>")
            + param("<i4>600</i4>")
            + param("<boolean>1</boolean>")
            + param("bare text")
            + param("<nil/>")
            + param("<i8>42</i8>")
            + param("<double>0.8</double>")
            + param("<array><data><value><string>BLUR</string></value><value>SEPIA</value></data></array>")
            + param("<struct><member><name>target_width</name><value><int>1280</int></value></member></struct>")));
    assertEquals("resize_image", c.methodName());
    List<Object> p = c.params();
    assertArrayEquals(image, (byte[]) p.get(0));
    assertEquals("img-1", p.get(1));
    assertEquals(800, p.get(2));
    assertEquals(600, p.get(3));
    assertEquals(Boolean.TRUE, p.get(4));
    assertEquals("bare text", p.get(5));
    assertNull(p.get(6));
    assertEquals(42L, p.get(7));
    assertEquals(0.8, p.get(8));
    assertArrayEquals(new Object[] {"BLUR", "SEPIA"}, (Object[]) p.get(9));
    assertEquals(Map.of("target_width", 1280), p.get(10));
  }

  @Test
  void aThreadsReaderIsReusableAfterAFailedParse() throws Exception {
    // Readers are kept per thread; a document that fails half-way (or a DOCTYPE, refused at once)
    // must not leave state behind for the next call on the same thread.
    byte[] good = codec.requestBytes("m", List.of("a", 7));
    List<byte[]> bad = List.of(
        "<?xml version=\"1.0\"?><methodCall><methodName>m</methodName><params><param><value><int>1"
            .getBytes(StandardCharsets.US_ASCII),
        "<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e \"boom\">]><methodCall><methodName>&e;</methodName></methodCall>"
            .getBytes(StandardCharsets.US_ASCII));
    for (byte[] b : bad) {
      assertThrows(XmlRpcProtocolException.class, () -> codec.parseRequest(new ByteArrayInputStream(b)));
      XmlRpcCall call = codec.parseRequest(new ByteArrayInputStream(good));
      assertEquals("m", call.methodName());
      assertEquals(List.of("a", 7), call.params());
    }
  }

  @Test
  void writesPythonStyleValuesWithStructMembersInInsertionOrder() throws Exception {
    Map<String, Object> m = new LinkedHashMap<>();
    m.put("success", true);
    m.put("message", "Resized from 4x2 to 2x1 & <done>");
    m.put("resized_image", new byte[] {1, 2, 3});
    m.put("new_width", 2);
    m.put("ratio", 0.5);
    m.put("none", null);
    m.put("list", List.of("a", 1));
    String xml = XmlRpcCodec.utf8(codec.responseBytes(m));
    assertTrue(xml.startsWith("<?xml version=\"1.0\" encoding=\"UTF-8\"?>"), xml);
    assertTrue(xml.contains("<name>success</name><value><boolean>1</boolean></value>"), xml);
    assertTrue(xml.contains("<value><string>Resized from 4x2 to 2x1 &amp; &lt;done&gt;</string></value>"), xml);
    assertTrue(xml.contains("<value><base64>\nAQID\n</base64></value>"), xml);
    assertTrue(xml.contains("<value><int>2</int></value>"), xml);
    assertTrue(xml.contains("<value><double>0.5</double></value>"), xml);
    assertTrue(xml.contains("<value><nil/></value>") || xml.contains("<value><nil></nil></value>"), xml);
    assertTrue(xml.indexOf("success") < xml.indexOf("message") && xml.indexOf("message") < xml.indexOf("resized_image")
        && xml.indexOf("resized_image") < xml.indexOf("new_width"), xml);
    XmlRpcResponse back = codec.parseResponse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertFalse(back.fault());
    assertEquals(2, ((Map<?, ?>) back.value()).get("new_width"));
  }

  @Test
  void base64IsWrappedAt76Characters() throws Exception {
    byte[] big = new byte[200_000];
    new java.util.Random(1).nextBytes(big);
    String xml = XmlRpcCodec.utf8(codec.responseBytes(big));
    String body = xml.substring(xml.indexOf("<base64>") + 8, xml.indexOf("</base64>"));
    String[] lines = body.substring(1).split("\n");
    for (int i = 0; i < lines.length - 1; i++) {
      assertEquals(76, lines[i].length(), "line " + i);
    }
    XmlRpcResponse back = codec.parseResponse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertArrayEquals(big, (byte[]) back.value());
  }

  @Test
  void faultHasCodeAndStringOnly() throws Exception {
    String xml = XmlRpcCodec.utf8(codec.faultBytes(1, "<class 'Exception'>:method \"nosuch\" is not supported"));
    assertTrue(xml.contains("<fault>"), xml);
    assertTrue(xml.contains("<name>faultCode</name><value><int>1</int></value>"), xml);
    assertFalse(xml.contains("faultCause"), xml);
    XmlRpcResponse back = codec.parseResponse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertTrue(back.fault());
    assertEquals(1, back.faultCode());
    assertEquals("<class 'Exception'>:method \"nosuch\" is not supported", back.faultString());
  }

  @Test
  void aFaultCauseSentByAServerIsIgnored() throws Exception {
    String xml = "<?xml version='1.0'?><methodResponse><fault><value><struct>"
        + "<member><name>faultCode</name><value><int>3</int></value></member>"
        + "<member><name>faultString</name><value><string>boom</string></value></member>"
        + "<member><name>faultCause</name><value><base64>rO0ABXNyAA==</base64></value></member>"
        + "</struct></value></fault></methodResponse>";
    XmlRpcResponse back = codec.parseResponse(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    assertTrue(back.fault());
    assertEquals(3, back.faultCode());
    assertEquals("boom", back.faultString());
  }

  @Test
  void requestRoundTrip() throws Exception {
    byte[] xml = codec.requestBytes("apply_filter", List.of(new byte[] {9}, "id", "BLUR", 0.5));
    String text = XmlRpcCodec.utf8(xml);
    assertTrue(text.contains("<methodName>apply_filter</methodName>"), text);
    XmlRpcCall c = codec.parseRequest(new ByteArrayInputStream(xml));
    assertEquals("apply_filter", c.methodName());
    assertEquals(0.5, c.params().get(3));
  }

  @Test
  void refusesExtensionTypes() {
    String xml = call("x", param("<ex:serializable xmlns:ex=\"http://ws.apache.org/xmlrpc/namespaces/extensions\">"
        + "rO0ABXNyAA==</ex:serializable>"));
    XmlRpcProtocolException e = assertThrows(XmlRpcProtocolException.class, () -> request(xml));
    assertTrue(e.getMessage().contains("serializable is invalid"), e.getMessage());
  }

  @Test
  void refusesDoctypeAndLeaksNothingOfAnExternalEntity(@TempDir Path dir) throws Exception {
    Path secret = dir.resolve("secret.txt");
    Files.writeString(secret, "TOP-SECRET-42");
    String xml = "<?xml version=\"1.0\"?><!DOCTYPE m [<!ENTITY x SYSTEM \"" + secret.toUri() + "\">]>"
        + call("x", param("<string>&x;</string>")).replace("<?xml version='1.0'?>", "");
    XmlRpcProtocolException e = assertThrows(XmlRpcProtocolException.class, () -> request(xml));
    assertTrue(e.getMessage().contains("DOCTYPE"), e.getMessage());
    assertFalse(e.getMessage().contains("TOP-SECRET"), e.getMessage());
  }

  @Test
  void refusesBillionLaughsQuickly() {
    StringBuilder sb = new StringBuilder("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">");
    for (int i = 1; i < 10; i++) {
      sb.append("<!ENTITY lol").append(i).append(" \"");
      for (int k = 0; k < 10; k++) {
        sb.append("&lol").append(i == 1 ? "" : String.valueOf(i - 1)).append(';');
      }
      sb.append("\">");
    }
    sb.append("]><methodCall><methodName>&lol9;</methodName></methodCall>");
    long start = System.nanoTime();
    assertThrows(XmlRpcProtocolException.class, () -> request(sb.toString()));
    assertTrue(System.nanoTime() - start < 1_000_000_000L);
  }

  @Test
  void refusesDeepNestingWithoutCrashing() {
    int depth = 50_000;
    StringBuilder sb = new StringBuilder("<?xml version='1.0'?><methodCall><methodName>x</methodName><params><param>");
    for (int i = 0; i < depth; i++) {
      sb.append("<value><array><data>");
    }
    for (int i = 0; i < depth; i++) {
      sb.append("</data></array></value>");
    }
    sb.append("</param></params></methodCall>");
    XmlRpcProtocolException e = assertThrows(XmlRpcProtocolException.class, () -> request(sb.toString()));
    assertTrue(e.getMessage().contains("nested deeper than 64"), e.getMessage());
  }

  @Test
  void refusesTooManyElements() {
    XmlRpcCodec small = new XmlRpcCodec(new XmlRpcCodec.Limits(64, 100));
    StringBuilder sb = new StringBuilder("<array><data>");
    for (int i = 0; i < 200; i++) {
      sb.append("<value><int>1</int></value>");
    }
    sb.append("</data></array>");
    String xml = call("x", param(sb.toString()));
    XmlRpcProtocolException e = assertThrows(XmlRpcProtocolException.class,
        () -> small.parseRequest(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8))));
    assertTrue(e.getMessage().contains("more than 100 elements"), e.getMessage());
  }

  @Test
  void malformedXmlIsAProtocolError() {
    XmlRpcProtocolException e = assertThrows(XmlRpcProtocolException.class, () -> request("<methodCall><methodName>x"));
    assertTrue(e.getMessage().contains("line 1"), e.getMessage());
    assertThrows(XmlRpcProtocolException.class, () -> request(call("x", param("<int>abc</int>"))));
  }

  @Test
  void refusesNonFiniteDoubles() {
    assertThrows(java.io.IOException.class, () -> codec.responseBytes(Double.NaN));
  }

  @Test
  void base64LongerThanOneDecodingWindowReadsBackWhateverItsPadding() throws Exception {
    for (int size : new int[] {0, 1, 2, 3, 48 * 1024, 48 * 1024 + 1, 48 * 1024 + 2, 200_000}) {
      byte[] data = new byte[size];
      new java.util.Random(size).nextBytes(data);
      String wrapped = java.util.Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII))
          .encodeToString(data);
      XmlRpcCall c = request(call("m", param("<base64>\n" + wrapped + "\n</base64>")));
      assertArrayEquals(data, (byte[]) c.params().get(0), "size " + size);
      String unpadded = java.util.Base64.getEncoder().withoutPadding().encodeToString(data);
      assertArrayEquals(data, (byte[]) request(call("m", param("<base64>" + unpadded + "</base64>"))).params().get(0));
    }
  }

  @Test
  void base64WithDataAfterItsPaddingOrOutsideTheAlphabetIsAProtocolError() {
    String window = "A".repeat(64 * 1024 - 4);
    for (String bad : List.of("AA==AAAA", window + "AA==" + "AAAA", "AA*A", "A", "\u00e9AAA", window + "AAAAA")) {
      XmlRpcProtocolException e = assertThrows(XmlRpcProtocolException.class,
          () -> request(call("m", param("<base64>" + bad + "</base64>"))), bad.length() + " characters");
      assertTrue(e.getMessage().startsWith("Failed to decode base64 stream."), e.getMessage());
    }
  }

  @Test
  void bytesThatAreNotUtf8AreAProtocolError() {
    byte[] xml = call("m", param("<string>X</string>")).getBytes(StandardCharsets.UTF_8);
    int at = new String(xml, StandardCharsets.ISO_8859_1).indexOf('X');
    xml[at] = (byte) 0xC3; // the start of a two-byte sequence, followed by '<'
    byte[] doc = xml;
    XmlRpcProtocolException e = assertThrows(XmlRpcProtocolException.class,
        () -> codec.parseRequest(new ByteArrayInputStream(doc)));
    assertTrue(e.getMessage().contains("UTF-8"), e.getMessage());
  }

  @Test
  void charactersBeyondTheBasicPlaneAreWrittenAsCharactersNotAsSurrogateReferences() throws Exception {
    String text = "watermark \uD83D\uDE00 \uD840\uDC0B end"; // an emoji and a CJK ideograph of plane 2
    byte[] xml = codec.requestBytes("m", List.of(text, Map.of("k", text)));
    assertFalse(new String(xml, StandardCharsets.UTF_8).contains("&#55"), new String(xml, StandardCharsets.UTF_8));
    XmlRpcCall c = codec.parseRequest(new ByteArrayInputStream(xml));
    assertEquals(text, c.params().get(0));
    assertEquals(text, ((Map<?, ?>) c.params().get(1)).get("k"));
    XmlRpcResponse r = codec.parseResponse(new ByteArrayInputStream(codec.responseBytes(text)));
    assertEquals(text, r.value());
  }
}
