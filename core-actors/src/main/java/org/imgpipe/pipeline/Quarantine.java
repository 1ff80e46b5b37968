package org.imgpipe.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.pubsub.Topic;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Images refused for a while because nodes were lost while working on them (docs/decisions/pipeline.md,
 * 11), known by their SHA-256. A node that quarantines an image tells every node through a cluster
 * topic, so the image cannot walk on through another orchestrator or a single-stage port. While nothing
 * is quarantined, nothing is hashed.
 */
public final class Quarantine {

  private static final Logger log = LoggerFactory.getLogger(Quarantine.class);

  /** What one node tells the others: refuse {@code digest} for {@code millis} from now. */
  public record Announce(String digest, long millis, String reason) implements PipelineSerializer.Wire {}

  private record Entry(long untilNanos, String reason) {}

  private final Duration period;
  private final Map<String, Entry> entries = new ConcurrentHashMap<>();
  private final Counter refusals;
  private final Counter added;
  private volatile ActorRef<Topic.Command<Announce>> topic;

  public Quarantine(Duration period, MeterRegistry registry) {
    this.period = period;
    this.refusals = Counter.builder("imgpipe.quarantine.refusals")
        .description("Requests refused because their image is quarantined as a poison input").register(registry);
    this.added = Counter.builder("imgpipe.quarantine.added")
        .description("Images quarantined by this node after nodes were lost while working on them").register(registry);
    Gauge.builder("imgpipe.quarantine.images", this, Quarantine::size)
        .description("Images refused by this node right now").register(registry);
  }

  /** The behaviour that joins the cluster-wide topic and applies the other nodes' announcements. */
  Behavior<Announce> listener() {
    return Behaviors.setup(ctx -> {
      ActorRef<Topic.Command<Announce>> t = ctx.spawn(Topic.create(Announce.class, "imgpipe-quarantine"), "topic");
      t.tell(Topic.subscribe(ctx.getSelf()));
      topic = t;
      return Behaviors.receiveMessage(a -> {
        apply(a);
        return Behaviors.same();
      });
    });
  }

  /** How long an image stays refused. */
  public Duration period() {
    return period;
  }

  /** Null when {@code image} may be processed, else the message for the client. */
  public String refusal(byte[] image) {
    if (entries.isEmpty() || image == null) {
      return null;
    }
    Entry e = entries.get(digest(image));
    if (e == null) {
      return null;
    }
    long left = e.untilNanos() - System.nanoTime();
    if (left <= 0) {
      return null;
    }
    refusals.increment();
    return "this image is refused for another " + Math.max(1, left / 1_000_000_000L) + " s: " + e.reason();
  }

  /** Quarantines {@code image} on this node and every other. */
  public void add(byte[] image, String reason) {
    if (image == null) {
      return;
    }
    String digest = digest(image);
    Announce a = new Announce(digest, period.toMillis(), reason);
    apply(a);
    added.increment();
    log.warn("quarantined image sha256={} ({} bytes) for {} s: {}", digest, image.length, period.toSeconds(), reason);
    ActorRef<Topic.Command<Announce>> t = topic;
    if (t != null) {
      t.tell(Topic.publish(a));
    }
  }

  private void apply(Announce a) {
    long now = System.nanoTime();
    entries.values().removeIf(e -> e.untilNanos() - now <= 0);
    entries.put(a.digest(), new Entry(now + Math.max(0, a.millis()) * 1_000_000L, a.reason()));
  }

  private double size() {
    long now = System.nanoTime();
    return entries.values().stream().filter(e -> e.untilNanos() - now > 0).count();
  }

  static String digest(byte[] bytes) {
    try {
      return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every Java runtime", e);
    }
  }
}
