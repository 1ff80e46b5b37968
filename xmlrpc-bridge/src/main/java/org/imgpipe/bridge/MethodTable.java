package org.imgpipe.bridge;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.imgpipe.config.ImgpipeSettings;
import org.imgpipe.xmlrpc.XmlRpcCall;

/**
 * The methods one service port answers, by exact name, plus the introspection methods every imgpipe port
 * has: system.listMethods, system.methodHelp, system.methodSignature and system.multicall.
 */
public final class MethodTable {

  static final String LIST_METHODS = "system.listMethods";
  static final String METHOD_HELP = "system.methodHelp";
  static final String METHOD_SIGNATURE = "system.methodSignature";
  static final String MULTICALL = "system.multicall";

  /**
   * Bounds of one system.multicall: at most {@code maxCalls} calls, at most {@code maxImageCalls} of them
   * image calls, and all of it within {@code deadline} (calls not started by then are answered with a fault).
   */
  record MulticallLimits(int maxCalls, int maxImageCalls, Duration deadline) {
    static MulticallLimits of(ImgpipeSettings settings) {
      return new MulticallLimits(settings.maxMulticallCalls(), settings.maxMulticallImageCalls(),
          settings.timeouts().request());
    }
  }

  private final String service;
  private final Map<String, RemoteMethod> methods = new LinkedHashMap<>();
  private volatile MulticallLimits multicallLimits = new MulticallLimits(64, 4, Duration.ofSeconds(60));

  public MethodTable(String service, List<RemoteMethod> serviceMethods) {
    this.service = service;
    serviceMethods.forEach(this::add);
    add(new RemoteMethod(LIST_METHODS, List.of(), WireType.ARRAY,
        "Returns the names of the methods this port serves.", a -> done(Reply.ok(names()))));
    add(new RemoteMethod(METHOD_HELP, List.of(Param.string("method_name")), WireType.STRING,
        "Returns the help text of a method.", a -> done(Reply.ok(lookup(a.string(0)).help()))));
    add(new RemoteMethod(METHOD_SIGNATURE, List.of(Param.string("method_name")), WireType.ARRAY,
        "Returns the method's signatures: each an array of the return type followed by the parameter types.",
        a -> done(Reply.ok(List.of(lookup(a.string(0)).signature())))));
    add(new RemoteMethod(MULTICALL, List.of(Param.array("calls")), WireType.ARRAY,
        "Runs several calls in order, each a struct {methodName, params}; returns per call either [result] "
            + "or a fault struct {faultCode, faultString}.",
        a -> multicall(a.array(0))));
  }

  /** Sets the bounds of system.multicall; the bridge sets the node's before it serves the table. */
  MethodTable withMulticallLimits(MulticallLimits limits) {
    this.multicallLimits = limits;
    return this;
  }

  private void add(RemoteMethod m) {
    if (methods.putIfAbsent(m.name(), m) != null) {
      throw new IllegalArgumentException("method " + m.name() + " is defined twice");
    }
  }

  /** The service's name, as in the original (ResizeService, ...). */
  public String service() {
    return service;
  }

  /** Method names, sorted as Python's system.listMethods sorts them. */
  public List<String> names() {
    return methods.keySet().stream().sorted().toList();
  }

  public boolean has(String name) {
    return methods.containsKey(name);
  }

  private RemoteMethod lookup(String name) {
    RemoteMethod m = methods.get(name);
    if (m == null) {
      throw Fault.unknownMethod(name);
    }
    return m;
  }

  /** Runs one call; protocol errors come back as a failed stage holding a {@link Fault}. */
  public CompletionStage<Reply> dispatch(XmlRpcCall call) {
    try {
      RemoteMethod m = lookup(call.methodName());
      return m.handler().invoke(m.check(call.params()));
    } catch (Fault f) {
      return CompletableFuture.failedFuture(f);
    }
  }

  /**
   * Runs the calls one after another. The size and the number of image calls are checked before any call
   * runs; a call still running at the deadline is answered with a fault there, and the calls after it are
   * not run (each gets a fault saying so).
   */
  private CompletionStage<Reply> multicall(List<?> calls) {
    MulticallLimits limits = multicallLimits;
    if (calls.size() > limits.maxCalls()) {
      throw Fault.valueError("system.multicall takes at most " + limits.maxCalls() + " calls, not " + calls.size()
          + " (imgpipe.limits.max-multicall-calls)");
    }
    long imageCalls = calls.stream().filter(this::isImageCall).count();
    if (imageCalls > limits.maxImageCalls()) {
      throw Fault.valueError("system.multicall takes at most " + limits.maxImageCalls() + " image calls, not "
          + imageCalls + " (imgpipe.limits.max-multicall-image-calls)");
    }
    long deadline = System.nanoTime() + limits.deadline().toNanos();
    long deadlineMillis = limits.deadline().toMillis();
    CompletionStage<List<Object>> results = CompletableFuture.completedFuture(new ArrayList<>(calls.size()));
    for (Object c : calls) {
      results = results.thenCompose(list -> {
        long left = deadline - System.nanoTime();
        CompletableFuture<Object> answer = left <= 0
            ? CompletableFuture.completedFuture(faultStruct(Fault.timeout("system.multicall reached the request "
                + "deadline of " + deadlineMillis + " ms; this call was not run")))
            : one(c).toCompletableFuture().completeOnTimeout(faultStruct(Fault.timeout("this call did not finish "
                + "within the request deadline of " + deadlineMillis + " ms")), left, TimeUnit.NANOSECONDS);
        return answer.thenApply(r -> {
          list.add(r);
          return list;
        });
      });
    }
    return results.thenApply(Reply::ok);
  }

  /** Whether a multicall entry names a method of this port that takes image data (the heavy ones). */
  private boolean isImageCall(Object entry) {
    if (entry instanceof Map<?, ?> m && m.get("methodName") instanceof String name) {
      RemoteMethod method = methods.get(name);
      return method != null && method.takesImage();
    }
    return false;
  }

  /** One multicall entry: [result] on success, a fault struct on a protocol error. */
  private CompletionStage<Object> one(Object entry) {
    CompletionStage<Reply> reply;
    if (!(entry instanceof Map<?, ?> m) || !(m.get("methodName") instanceof String name)) {
      reply = CompletableFuture.failedFuture(
          Fault.typeError("each system.multicall entry must be a struct with a string methodName"));
    } else if (name.equals(MULTICALL)) {
      reply = CompletableFuture.failedFuture(Fault.valueError("system.multicall cannot be nested"));
    } else {
      Object params = m.containsKey("params") ? m.get("params") : new Object[0];
      Object accepted = WireType.ARRAY.accept(params);
      if (accepted == null) {
        reply = CompletableFuture.failedFuture(
            Fault.typeError("the params of a system.multicall entry must be an array, not " + WireType.nameOf(params)));
      } else {
        @SuppressWarnings("unchecked")
        List<Object> list = (List<Object>) accepted;
        reply = dispatch(new XmlRpcCall(name, list));
      }
    }
    return reply.handle((r, error) -> error == null ? java.util.Collections.singletonList(r.value())
        : faultStruct(error));
  }

  private static Map<String, Object> faultStruct(Throwable error) {
    Map<String, Object> fault = new LinkedHashMap<>();
    fault.put("faultCode", Fault.CODE);
    fault.put("faultString", faultString(error));
    return fault;
  }

  /** The faultString for a failure: a Fault's own, or a generic one that leaks no internals. */
  static String faultString(Throwable error) {
    Throwable t = error;
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof Fault f) {
      return f.faultString();
    }
    return Fault.internal("internal error: " + t.getClass().getSimpleName()).faultString();
  }

  private static CompletionStage<Reply> done(Reply r) {
    return CompletableFuture.completedFuture(r);
  }
}
