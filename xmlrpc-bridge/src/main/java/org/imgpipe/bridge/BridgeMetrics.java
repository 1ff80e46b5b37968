package org.imgpipe.bridge;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bridge's meters: calls per service, method and outcome, call latency per method (histogram), calls in
 * flight per service, and HTTP requests refused before any call was decoded. Method tags only ever take the
 * names a port serves (anything else counts as "unknown"), so a client cannot grow the series.
 */
final class BridgeMetrics {

  private final MeterRegistry registry;
  private final ConcurrentHashMap<String, Counter> calls = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> latency = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, AtomicInteger> inFlight = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Counter> refused = new ConcurrentHashMap<>();

  BridgeMetrics(MeterRegistry registry) {
    this.registry = registry;
  }

  AtomicInteger inFlight(String service) {
    return inFlight.computeIfAbsent(service, s -> registry.gauge("imgpipe_xmlrpc_in_flight",
        io.micrometer.core.instrument.Tags.of("service", s), new AtomicInteger()));
  }

  /** outcome: ok, failed, busy or fault. */
  void call(String service, String method, String outcome, long nanos) {
    calls.computeIfAbsent(service + '|' + method + '|' + outcome, k -> Counter.builder("imgpipe_xmlrpc_requests")
        .description("XML-RPC calls answered, by outcome (ok, failed = success false, busy, fault)")
        .tag("service", service).tag("method", method).tag("outcome", outcome)
        .register(registry)).increment();
    latency.computeIfAbsent(service + '|' + method, k -> Timer.builder("imgpipe_xmlrpc_request_duration")
        .description("XML-RPC call latency, from the decoded request to the encoded answer")
        .tag("service", service).tag("method", method)
        .publishPercentileHistogram()
        .minimumExpectedValue(Duration.ofMillis(1))
        .maximumExpectedValue(Duration.ofMinutes(2))
        .register(registry)).record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
  }

  /** reason: too_large, bad_encoding, not_found, bad_method. */
  void refused(String service, String reason) {
    refused.computeIfAbsent(service + '|' + reason, k -> Counter.builder("imgpipe_xmlrpc_refused")
        .description("HTTP requests refused before an XML-RPC call was decoded")
        .tag("service", service).tag("reason", reason)
        .register(registry)).increment();
  }
}
