package org.imgpipe.bridge;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** The XML-RPC type a parameter must have, and the strict check of a received value against it. */
public enum WireType {
  BASE64("base64"), STRING("string"), INT("int"), DOUBLE("double"), BOOLEAN("boolean"),
  ARRAY("array"), STRUCT("struct"), ANY("any");

  private final String wireName;

  WireType(String wireName) {
    this.wireName = wireName;
  }

  /** The name XML-RPC introspection uses. */
  public String wireName() {
    return wireName;
  }

  /** The XML-RPC name of a decoded value's type. */
  public static String nameOf(Object value) {
    if (value == null) {
      return "nil";
    } else if (value instanceof byte[]) {
      return "base64";
    } else if (value instanceof String) {
      return "string";
    } else if (value instanceof Integer || value instanceof Long) {
      return "int";
    } else if (value instanceof Double) {
      return "double";
    } else if (value instanceof Boolean) {
      return "boolean";
    } else if (value instanceof Object[] || value instanceof List) {
      return "array";
    } else if (value instanceof Map) {
      return "struct";
    }
    return value.getClass().getSimpleName();
  }

  /**
   * The value as this type wants it, or null if it does not fit. An int is accepted where a double belongs
   * (Python clients send 1 for 1.0, and the original accepted it); nothing else is converted.
   */
  Object accept(Object value) {
    switch (this) {
      case ANY:
        return value == null ? Nil.INSTANCE : value;
      case BASE64:
        return value instanceof byte[] ? value : null;
      case STRING:
        return value instanceof String ? value : null;
      case BOOLEAN:
        return value instanceof Boolean ? value : null;
      case INT:
        if (value instanceof Integer) {
          return value;
        }
        if (value instanceof Long l && l == l.intValue()) {
          return l.intValue();
        }
        return null;
      case DOUBLE:
        if (value instanceof Double || value instanceof Integer || value instanceof Long) {
          return ((Number) value).doubleValue();
        }
        return null;
      case ARRAY:
        if (value instanceof Object[] a) {
          return Arrays.asList(a);
        }
        return value instanceof List ? value : null;
      case STRUCT:
        return value instanceof Map ? value : null;
      default:
        throw new AssertionError(this);
    }
  }

  /** Marks an accepted nil for ANY parameters. */
  enum Nil { INSTANCE }
}
