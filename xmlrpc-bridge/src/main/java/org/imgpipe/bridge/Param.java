package org.imgpipe.bridge;

/** One positional parameter of a remote method: its name in the original's signature and its wire type. */
public record Param(String name, WireType type) {

  public static Param base64(String name) {
    return new Param(name, WireType.BASE64);
  }

  public static Param string(String name) {
    return new Param(name, WireType.STRING);
  }

  public static Param integer(String name) {
    return new Param(name, WireType.INT);
  }

  public static Param decimal(String name) {
    return new Param(name, WireType.DOUBLE);
  }

  public static Param bool(String name) {
    return new Param(name, WireType.BOOLEAN);
  }

  public static Param array(String name) {
    return new Param(name, WireType.ARRAY);
  }

  public static Param struct(String name) {
    return new Param(name, WireType.STRUCT);
  }

  public static Param any(String name) {
    return new Param(name, WireType.ANY);
  }
}
