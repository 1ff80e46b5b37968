package org.imgpipe.reliability;

import java.io.ByteArrayInputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.imgpipe.xmlrpc.XmlRpcCodec;
import org.imgpipe.xmlrpc.XmlRpcResponse;

/**
 * Hand-written XML-RPC requests (so a test can send what no well-behaved client would: a string where an
 * int belongs, NaN, broken base64) posted over real HTTP, and the answer read back.
 */
final class Rpc {

  private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private static final XmlRpcCodec CODEC = new XmlRpcCodec(XmlRpcCodec.Limits.clientDefaults());

  private Rpc() {}

  static String call(String method, String... values) {
    StringBuilder b = new StringBuilder("<?xml version='1.0'?>\n<methodCall><methodName>").append(method)
        .append("</methodName><params>");
    for (String v : values) {
      b.append("<param><value>").append(v).append("</value></param>");
    }
    return b.append("</params></methodCall>\n").toString();
  }

  static String str(String s) {
    return "<string>" + s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;") + "</string>";
  }

  static String i4(long v) {
    return "<int>" + v + "</int>";
  }

  static String dbl(String v) {
    return "<double>" + v + "</double>";
  }

  static String bool(boolean v) {
    return "<boolean>" + (v ? 1 : 0) + "</boolean>";
  }

  static String b64(byte[] data) {
    return "<base64>" + Base64.getEncoder().encodeToString(data) + "</base64>";
  }

  static String array(List<String> values) {
    StringBuilder b = new StringBuilder("<array><data>");
    for (String v : values) {
      b.append("<value>").append(v).append("</value>");
    }
    return b.append("</data></array>").toString();
  }

  static String struct(Map<String, String> members) {
    StringBuilder b = new StringBuilder("<struct>");
    members.forEach((k, v) -> b.append("<member><name>").append(k).append("</name><value>").append(v)
        .append("</value></member>"));
    return b.append("</struct>").toString();
  }

  /** An answer: the HTTP status, and when it was XML-RPC, the fault or the value. */
  record Answer(int status, String body, XmlRpcResponse rpc, long millis) {

    boolean fault() {
      return rpc != null && rpc.fault();
    }

    /** The error a client sees: the faultString, or a failure struct's message; null on success. */
    String error() {
      if (rpc == null) {
        return "HTTP " + status + ": " + body;
      }
      if (rpc.fault()) {
        return rpc.faultString();
      }
      if (rpc.value() instanceof Map<?, ?> m && Boolean.FALSE.equals(m.get("success"))) {
        return String.valueOf(m.get("message"));
      }
      if (rpc.value() instanceof Map<?, ?> m && "ERROR".equals(m.get("format"))) {
        return "get_thumbnail answered format ERROR";
      }
      return null;
    }

    Map<?, ?> struct() {
      return (Map<?, ?>) rpc.value();
    }
  }

  static Answer post(String host, int port, String xml) throws Exception {
    return post(host, port, xml.getBytes(StandardCharsets.UTF_8));
  }

  static Answer post(String host, int port, byte[] body) throws Exception {
    long t0 = System.nanoTime();
    HttpResponse<byte[]> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://" + host + ":" + port + "/RPC2"))
        .timeout(Timing.scaled(Duration.ofSeconds(60))).header("Content-Type", "text/xml")
        .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofByteArray());
    long ms = (System.nanoTime() - t0) / 1_000_000;
    XmlRpcResponse rpc = null;
    String text = new String(r.body(), StandardCharsets.UTF_8);
    if (r.statusCode() == 200 && r.headers().firstValue("Content-Type").orElse("").startsWith("text/xml")) {
      rpc = CODEC.parseResponse(new ByteArrayInputStream(r.body()));
    }
    return new Answer(r.statusCode(), text.length() > 2000 ? text.substring(0, 2000) : text, rpc, ms);
  }
}
