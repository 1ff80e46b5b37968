package org.imgpipe.bridge;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.util.ByteString;
import java.io.ByteArrayInputStream;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.IntFunction;
import org.imgpipe.xmlrpc.XmlRpcCodec;
import org.junit.jupiter.api.Test;

/**
 * The request-memory estimate of a parse is an upper bound of what the parse really takes: for documents
 * of every shape an attacker can choose (base64, long strings that widen to two bytes a character, bare
 * values, comments, processing instructions, attribute values, CDATA, dense arrays and structs), the bytes
 * the parsing thread allocates in all, which bound what it holds at its peak, stay below {@link ParseCost}.
 */
class ParseCostTest {

  private static final int SIZE = 3 << 20;
  private static final XmlRpcCodec CODEC = new XmlRpcCodec(new XmlRpcCodec.Limits(64, 200_000));

  private static String call(String params) {
    return "<?xml version='1.0'?>\n<methodCall>\n<methodName>m</methodName>\n<params>\n" + params
        + "</params>\n</methodCall>\n";
  }

  private static String param(String value) {
    return "<param>\n<value>" + value + "</value>\n</param>\n";
  }

  private static String repeat(IntFunction<String> item, int bytes) {
    StringBuilder b = new StringBuilder(bytes + 100);
    for (int i = 0; b.length() < bytes; i++) {
      b.append(item.apply(i));
    }
    return b.toString();
  }

  static Map<String, String> shapes() {
    byte[] image = new byte[SIZE * 3 / 4];
    new Random(1).nextBytes(image);
    String base64 = java.util.Base64.getMimeEncoder(76, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(image);
    String letters = "a".repeat(SIZE);
    Map<String, String> m = new LinkedHashMap<>();
    m.put("a small call", call(param("<string>img-1</string>") + param("<int>640</int>") + param("<base64>QUJD</base64>")));
    m.put("base64", call(param("<base64>\n" + base64 + "\n</base64>")));
    m.put("many small base64", call(param("<array><data>"
        + repeat(i -> "<value><base64>QUJD</base64></value>", SIZE / 2) + "</data></array>")));
    m.put("ascii string", call(param("<string>" + letters + "</string>")));
    m.put("string widened at its end", call(param("<string>" + letters + "\u0109</string>")));
    m.put("latin-1 string", call(param("<string>" + "\u00e9".repeat(SIZE / 2) + "</string>")));
    m.put("three-byte string", call(param("<string>" + "\u20ac".repeat(SIZE / 3) + "</string>")));
    m.put("bare value", call(param(letters + "\u0109")));
    m.put("struct member name", call(param("<struct><member><name>" + letters + "\u0109</name><value>x</value>"
        + "</member></struct>")));
    m.put("comment", call("<!--" + letters + "\u0109-->" + param("<int>1</int>")));
    m.put("processing instruction", call("<?pi " + letters + "\u0109?>" + param("<int>1</int>")));
    m.put("attribute", call("<param a=\"" + letters + "\u0109\">\n<value><int>1</int></value>\n</param>\n"));
    m.put("cdata", call(param("<string><![CDATA[" + letters + "\u0109]]></string>")));
    m.put("base64 inside a comment", call("<!-- <base64>" + letters + " -->" + param("<int>1</int>")));
    m.put("dense int array", call(param("<array><data>" + repeat(i -> "<value><int>" + i + "</int></value>", SIZE / 2)
        + "</data></array>")));
    m.put("dense nil array", call(param("<array><data>" + repeat(i -> "<value><nil/></value>", SIZE / 2)
        + "</data></array>")));
    m.put("dense struct", call(param("<struct>" + repeat(i -> "<member><name>k" + i + "</name><value>v</value></member>",
        SIZE / 2) + "</struct>")));
    m.put("whitespace", call(" ".repeat(SIZE) + param("<int>1</int>")));
    m.put("many parameters", call(repeat(i -> "<param><value><string>s" + i + "</string></value></param>", SIZE / 2)));
    return m;
  }

  private static long allocatedByParse(byte[] doc) throws Exception {
    com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = threads.getThreadAllocatedBytes(id);
    try {
      CODEC.parseRequest(new ByteArrayInputStream(doc));
    } catch (org.imgpipe.xmlrpc.XmlRpcProtocolException e) {
      // shapes past a limit cost what they took until refused
    }
    return threads.getThreadAllocatedBytes(id) - before;
  }

  private static long estimate(byte[] doc) {
    ParseCost cost = new ParseCost();
    // in chunks, as a body arrives
    for (int i = 0; i < doc.length; i += 8192) {
      cost.add(ByteString.fromArray(doc, i, Math.min(8192, doc.length - i)));
    }
    return cost.bytes();
  }

  @Test
  void theEstimateBoundsWhatTheParseAllocatesForEveryShape() throws Exception {
    Map<String, String> shapes = shapes();
    for (String doc : shapes.values()) {
      allocatedByParse(doc.getBytes(StandardCharsets.UTF_8)); // warm up: classes, the thread's reader
    }
    StringBuilder report = new StringBuilder();
    for (Map.Entry<String, String> e : shapes.entrySet()) {
      byte[] doc = e.getValue().getBytes(StandardCharsets.UTF_8);
      long allocated = allocatedByParse(doc);
      long estimate = estimate(doc);
      report.append(String.format("%-28s %8d bytes: allocated %6.2f, estimated %6.2f per byte%n", e.getKey(),
          doc.length, allocated / (double) doc.length, estimate / (double) doc.length));
      assertTrue(allocated <= estimate, e.getKey() + ": the parse allocated " + allocated + " bytes, more than the "
          + "estimate of " + estimate + "\n" + report);
    }
    System.out.println(report);
  }

  @Test
  void base64IsChargedAtItsOwnRateOnlyInAPlainBase64ElementOfAnAsciiDocument() {
    String b64 = "QUJD".repeat(25_000);
    long cheap = estimate(call(param("<base64>" + b64 + "</base64>")).getBytes(StandardCharsets.UTF_8));
    assertTrue(cheap < 100_000 * 2 + ParseCost.FIXED + 20 * ParseCost.ELEMENT, "cheap: " + cheap);
    for (String dear : new String[] {
        call(param("<string>" + b64 + "</string>")),
        call(param("<base64 a='1'>" + b64 + "</base64>")),
        call("<!-- <base64>" + b64 + " -->"),
        call(param("<string><![CDATA[<base64>" + b64 + "]]></string>")),
        call(param("<value a='<base64>" + b64 + "'/>")),
        "<?xml version='1.0' encoding='UTF-16'?>" + call(param("<base64>" + b64 + "</base64>")).substring(22),
        "\uFEFF" + call(param("<base64>" + b64 + "</base64>"))}) {
      long cost = estimate(dear.getBytes(StandardCharsets.UTF_8));
      assertTrue(cost >= 100_000 * ParseCost.OTHER_BYTE, dear.substring(0, 60) + ": " + cost);
    }
  }

  @Test
  void chunkBoundariesDoNotChangeTheEstimate() {
    byte[] doc = shapes().get("comment").getBytes(StandardCharsets.UTF_8);
    ParseCost whole = new ParseCost();
    whole.add(ByteString.fromArray(doc));
    ParseCost bytewise = new ParseCost();
    long sum = 0;
    for (int i = 0; i < 5000; i++) {
      sum += bytewise.add(ByteString.fromArray(doc, i, 1));
    }
    sum += bytewise.add(ByteString.fromArray(doc, 5000, doc.length - 5000));
    assertEquals(whole.bytes(), bytewise.bytes());
    assertEquals(whole.bytes() - ParseCost.FIXED, sum);
  }
}
