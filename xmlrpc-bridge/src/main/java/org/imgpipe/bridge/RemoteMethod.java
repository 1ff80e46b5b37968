package org.imgpipe.bridge;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionStage;
import java.util.stream.Collectors;

/** One method a port serves: its positional signature, its help text, and the code that runs it. */
public record RemoteMethod(String name, List<Param> params, WireType returns, String help, Handler handler) {

  /** Runs a call whose parameters have been checked. */
  @FunctionalInterface
  public interface Handler {
    CompletionStage<Reply> invoke(Args args);
  }

  public RemoteMethod {
    params = List.copyOf(params);
  }

  /** Checks arity and types the way the original's Python signature would have refused them, as faults. */
  Args check(List<Object> received) {
    if (received.size() != params.size()) {
      throw Fault.typeError(name + "() takes " + params.size() + " argument" + (params.size() == 1 ? "" : "s")
          + signatureText() + " but " + received.size() + (received.size() == 1 ? " was" : " were") + " given");
    }
    List<Object> accepted = new ArrayList<>(received.size());
    for (int i = 0; i < params.size(); i++) {
      Param p = params.get(i);
      Object value = received.get(i);
      Object a = p.type().accept(value);
      if (a == null) {
        throw Fault.typeError(name + "() argument " + (i + 1) + " (" + p.name() + ") must be " + p.type().wireName()
            + ", not " + WireType.nameOf(value));
      }
      if (a instanceof Double d && !Double.isFinite(d)) {
        throw Fault.valueError(name + "() argument " + (i + 1) + " (" + p.name() + ") must be a finite number, not " + d);
      }
      accepted.add(a);
    }
    return new Args(accepted);
  }

  private String signatureText() {
    return params.isEmpty() ? "" : " (" + params.stream().map(Param::name).collect(Collectors.joining(", ")) + ")";
  }

  /** Whether the method takes image data: the heavy methods, which run image work. */
  boolean takesImage() {
    return params.stream().anyMatch(p -> p.type() == WireType.BASE64);
  }

  /** The XML-RPC introspection signature: return type first, then the parameter types. */
  List<String> signature() {
    List<String> s = new ArrayList<>();
    s.add(returns.wireName());
    params.forEach(p -> s.add(p.type().wireName()));
    return s;
  }
}
