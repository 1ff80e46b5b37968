package org.imgpipe.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.imgpipe.xmlrpc.client.ImgpipeClient;
import org.imgpipe.xmlrpc.client.XmlRpcFault;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The Java client against Python's own SimpleXMLRPCServer, as the original's services were built. */
class PythonServerCompatibilityTest {

  private static Process server;
  private static ImgpipeClient client;

  @BeforeAll
  static void start() throws Exception {
    server = new ProcessBuilder("python3", Path.of("src", "test", "python", "python_server.py").toString())
        .redirectError(ProcessBuilder.Redirect.INHERIT).start();
    BufferedReader out = new BufferedReader(new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8));
    String port = out.readLine();
    assertTrue(port != null && port.matches("\\d+"), "the Python server did not start (is python3 installed?)");
    client = new ImgpipeClient("127.0.0.1", Integer.parseInt(port), Duration.ofSeconds(20));
  }

  @AfterAll
  static void stop() throws Exception {
    server.getOutputStream().close();
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
  }

  @Test
  void typedCallsReadPythonsStructs() throws Exception {
    Map<String, Object> r = client.resizeImage(new byte[] {1, 2, 3}, "id", 2, 1, true);
    assertEquals(Boolean.TRUE, r.get("success"));
    assertEquals("Resized from 4x2 to 2x1", r.get("message"));
    assertArrayEquals(new byte[] {3, 2, 1}, (byte[]) r.get("resized_image"));
    assertEquals(2, r.get("new_width"));
    assertEquals(7, r.get("processing_time_ms"));
  }

  @Test
  void pythonReadsWhatTheJavaClientSends() throws Exception {
    Map<String, Object> st = new LinkedHashMap<>();
    st.put("a", 1);
    Object[] types = (Object[]) client.call("types", "s", 5, 0.5, true, new Object[] {1, "x"}, st);
    assertEquals(List.of("str", "int", "float", "bool", "list", "dict"), Arrays.asList(types));
    assertEquals("héllo & <ünïcode>", client.call("echo", "héllo & <ünïcode>"));
    assertEquals(-2147483648, client.call("echo", Integer.MIN_VALUE));
  }

  @Test
  void readsNilAndLargeGzippedBase64() throws Exception {
    assertNull(client.call("nothing"));
    byte[] big = (byte[]) client.call("big", 4000); // 1 MB, wrapped base64, gzipped by Python above 1400 bytes
    assertEquals(256 * 4000, big.length);
    assertEquals((byte) 255, big[255]);
  }

  @Test
  void pythonFaultsBecomeXmlRpcFaults() {
    XmlRpcFault unknown = assertThrows(XmlRpcFault.class, () -> client.call("nosuch"));
    assertEquals(1, unknown.faultCode());
    assertEquals("<class 'Exception'>:method \"nosuch\" is not supported", unknown.faultString());
    XmlRpcFault arity = assertThrows(XmlRpcFault.class, () -> client.call("echo"));
    assertTrue(arity.faultString().startsWith("<class 'TypeError'>:"), arity.faultString());
  }
}
