package org.imgpipe.bridge;

import java.util.List;
import java.util.Map;

/** The parameters of one call, already checked against the method's signature, read by position. */
public final class Args {
  private final List<Object> values;

  Args(List<Object> values) {
    this.values = values;
  }

  public byte[] bytes(int i) {
    return (byte[]) values.get(i);
  }

  public String string(int i) {
    return (String) values.get(i);
  }

  public int integer(int i) {
    return (Integer) values.get(i);
  }

  public double decimal(int i) {
    return (Double) values.get(i);
  }

  public boolean bool(int i) {
    return (Boolean) values.get(i);
  }

  public List<?> array(int i) {
    return (List<?>) values.get(i);
  }

  @SuppressWarnings("unchecked")
  public Map<String, Object> struct(int i) {
    return (Map<String, Object>) values.get(i);
  }

  /** An ANY parameter as received (null for nil). */
  public Object any(int i) {
    Object v = values.get(i);
    return v == WireType.Nil.INSTANCE ? null : v;
  }
}
