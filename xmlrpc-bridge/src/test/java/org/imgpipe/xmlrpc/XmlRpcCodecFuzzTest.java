package org.imgpipe.xmlrpc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Fuzz targets for the XML-RPC codec. Without JAZZER_FUZZ every build replays the committed inputs in
 * src/test/resources/org/imgpipe/xmlrpc/XmlRpcCodecFuzzTestInputs/; with JAZZER_FUZZ=1 and one method
 * named in -Dtest, Jazzer fuzzes that method (docs/fuzzing.md).
 *
 * <p>Properties: reading arbitrary bytes ends in a value or an {@link XmlRpcProtocolException}, never in
 * another exception or an error, and what is read respects the shape limits; what the writer writes, the
 * reader reads back as the same value.
 */
class XmlRpcCodecFuzzTest {

  /** Small limits, so that the fuzzer can reach them with short inputs. */
  private static final XmlRpcCodec.Limits LIMITS = new XmlRpcCodec.Limits(12, 400);
  private static final XmlRpcCodec CODEC = new XmlRpcCodec(LIMITS);

  @FuzzTest(maxDuration = "10m")
  void parseRequestEndsInACallOrAProtocolError(byte[] input) throws Exception {
    XmlRpcCall call;
    try {
      call = CODEC.parseRequest(new ByteArrayInputStream(input));
    } catch (XmlRpcProtocolException expected) {
      assertNotNull(expected.getMessage());
      return;
    }
    assertTrue(call.methodName() != null && !call.methodName().isEmpty());
    for (Object p : call.params()) {
      assertWithinLimits(p, 3); // methodCall > params > param > value
    }
  }

  @FuzzTest(maxDuration = "10m")
  void parseResponseEndsInAValueAFaultOrAProtocolError(byte[] input) throws Exception {
    XmlRpcResponse response;
    try {
      response = CODEC.parseResponse(new ByteArrayInputStream(input));
    } catch (XmlRpcProtocolException expected) {
      assertNotNull(expected.getMessage());
      return;
    }
    if (!response.fault()) {
      assertWithinLimits(response.value(), 3); // methodResponse > params > param > value
    }
  }

  @FuzzTest(maxDuration = "10m")
  void whatTheWriterWritesTheReaderReadsBack(FuzzedDataProvider data) throws Exception {
    String method = data.consumeBoolean() ? "resize_image" : "m." + Math.abs(data.consumeInt() % 1000);
    List<Object> params = new ArrayList<>();
    int n = data.consumeInt(0, 6);
    for (int i = 0; i < n; i++) {
      params.add(value(data, 0));
    }
    byte[] xml = new XmlRpcCodec(new XmlRpcCodec.Limits(64, 1_000_000)).requestBytes(method, params);
    XmlRpcCall back = new XmlRpcCodec(new XmlRpcCodec.Limits(64, 1_000_000))
        .parseRequest(new ByteArrayInputStream(xml));
    assertEquals(method, back.methodName());
    assertEquals(params.size(), back.params().size());
    for (int i = 0; i < params.size(); i++) {
      assertSame(params.get(i), back.params().get(i));
    }
  }

  /** A value the wire can carry, as the codec's callers build them; nesting stops at depth 4. */
  private static Object value(FuzzedDataProvider data, int depth) {
    int kind = data.consumeInt(0, depth >= 4 ? 6 : 8);
    return switch (kind) {
      case 0 -> data.consumeInt();
      case 1 -> data.consumeLong();
      case 2 -> data.consumeBoolean();
      case 3 -> finite(data.consumeDouble());
      case 4 -> xmlText(data.consumeString(200));
      case 5 -> data.consumeBytes(300);
      case 6 -> null;
      case 7 -> {
        List<Object> list = new ArrayList<>();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
          list.add(value(data, depth + 1));
        }
        yield list;
      }
      default -> {
        Map<String, Object> map = new LinkedHashMap<>();
        int n = data.consumeInt(0, 4);
        for (int i = 0; i < n; i++) {
          map.put(xmlText(data.consumeString(20)), value(data, depth + 1));
        }
        yield map;
      }
    };
  }

  private static double finite(double d) {
    return Double.isFinite(d) ? d : 0.5;
  }

  /**
   * Keeps the characters XML 1.0 can carry, as Python's xmlrpc.client needs them too: no control characters
   * but tab and line feed (a carriage return is read back as a line feed by every XML parser), no lone
   * surrogates, no U+FFFE/U+FFFF.
   */
  static String xmlText(String s) {
    StringBuilder b = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
        b.append(c).append(s.charAt(++i));
      } else if ((c >= 0x20 && c < 0xD800) || c == '\t' || c == '\n' || (c >= 0xE000 && c <= 0xFFFD)) {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** Compares a written value with what was read: ints come back as ints, lists as arrays, longs as the smallest type. */
  private static void assertSame(Object sent, Object read) {
    if (sent == null) {
      assertEquals(null, read);
    } else if (sent instanceof Long l) {
      assertEquals(l == l.intValue() ? (Object) l.intValue() : (Object) l, read);
    } else if (sent instanceof byte[] b) {
      assertArrayEquals(b, (byte[]) read);
    } else if (sent instanceof List<?> list) {
      Object[] array = (Object[]) read;
      assertEquals(list.size(), array.length);
      for (int i = 0; i < array.length; i++) {
        assertSame(list.get(i), array[i]);
      }
    } else if (sent instanceof Map<?, ?> map) {
      Map<?, ?> got = (Map<?, ?>) read;
      assertEquals(map.keySet(), got.keySet());
      map.forEach((k, v) -> assertSame(v, got.get(k)));
    } else {
      assertEquals(sent, read);
    }
  }

  /** Arrays and structs nest no deeper than the depth limit allows, counting the elements above the value. */
  private static void assertWithinLimits(Object value, int depthAbove) {
    // each array or struct adds three elements (array, data, value; struct, member, value) below its value
    assertTrue(depthAbove + 3 * nesting(value) <= LIMITS.maxDepth(),
        "a value nested deeper than the limit of " + LIMITS.maxDepth() + " elements was read");
  }

  /** Arrays and structs inside a value, counted on the deepest path (each costs at least 3 elements). */
  private static int nesting(Object value) {
    if (value instanceof Object[] array) {
      int max = 0;
      for (Object o : array) {
        max = Math.max(max, nesting(o));
      }
      return 1 + max;
    }
    if (value instanceof Map<?, ?> map) {
      int max = 0;
      for (Object o : map.values()) {
        max = Math.max(max, nesting(o));
      }
      return 1 + max;
    }
    return 0;
  }
}
