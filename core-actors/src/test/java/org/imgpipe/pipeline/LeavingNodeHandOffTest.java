package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import akka.actor.CoordinatedShutdown;
import akka.actor.testkit.typed.javadsl.ActorTestKit;
import akka.actor.typed.ActorRef;
import akka.actor.typed.javadsl.Adapter;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.imgpipe.imaging.ImageFormat;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.Test;

/**
 * A node that leaves gracefully (SIGTERM runs the same coordinated shutdown) stays a member, Exiting, until
 * the stage results it holds for other nodes' next stages have been fetched: its removal would send every
 * such request back to the client's bytes (FaultToleranceTest's SIGTERM case saw one such retry).
 */
class LeavingNodeHandOffTest {

  @Test
  void aLeavingNodeIsRemovedOnlyOnceWhatItHoldsIsReleased() throws Exception {
    TestNode a = TestNode.start("127.0.0.2", "orchestrator, resize, watermark, format", null, "",
        StageWork::new, false);
    TestNode b = null;
    try {
      b = TestNode.start("127.0.0.3", "filter", a, "", StageWork::new, false);
      TestNode bb = b;
      TestNode.awaitTrue(Duration.ofSeconds(90), () -> a.upMembers() == 2 && bb.upMembers() == 2,
          "2 nodes did not come up");
      String leaving = b.member();

      ActorRef<StageOutputs.Command> outputs = Adapter.toTyped(b.system().classicSystem()
          .actorSelection("/system/imgpipe-outputs").resolveOne(Duration.ofSeconds(10))
          .toCompletableFuture().get(10, TimeUnit.SECONDS));
      outputs.tell(new StageOutputs.Hold("k1",
          new ImagePayload.Decoded(TestImages.smoothScene(64, 48), ImageFormat.PNG)));
      TestNode.awaitTrue(Duration.ofSeconds(10),
          () -> bb.registry.get("imgpipe.held.images").gauge().value() == 4 * 64 * 48, "the image was not held");

      CompletableFuture<?> shutdown = CoordinatedShutdown.get(b.system().classicSystem())
          .runAll(CoordinatedShutdown.jvmExitReason()).toCompletableFuture();
      // It leaves: Leaving, then Exiting, but is not removed while it holds the image.
      TestNode.awaitTrue(Duration.ofSeconds(30), () -> !isUp(a, leaving), "the node did not start to leave");
      Thread.sleep(3000);
      assertTrue(isMember(a, leaving), "removed while it still held a stage result");
      // The members gauge counts it as leaving or exiting, and A alone as up.
      assertEquals(1.0, members(a, "leaving") + members(a, "exiting"));
      assertEquals(1.0, members(a, "up"));
      assertFalse(shutdown.isDone());

      outputs.tell(new StageOutputs.Release("k1"));
      long t0 = System.nanoTime();
      TestNode.awaitTrue(Duration.ofSeconds(30), () -> !isMember(a, leaving), "not removed after the release");
      long removedMs = (System.nanoTime() - t0) / 1_000_000;
      shutdown.get(60, TimeUnit.SECONDS);
      assertTrue(removedMs < 10_000, "removed " + removedMs + " ms after the release");
    } finally {
      if (b != null) {
        b.close();
      }
      a.close();
    }
  }

  @Test
  void theWaitEndsWhenNothingIsHeldOrAtItsBound() throws Exception {
    ActorTestKit kit = ActorTestKit.create("held-wait");
    try {
      assertTrue(PipelineNode.awaitNothingHeld(kit.system(), new AtomicLong(), Duration.ofSeconds(5))
          .toCompletableFuture().isDone(), "nothing held: no wait");

      AtomicLong held = new AtomicLong(1000);
      CompletableFuture<?> released = PipelineNode.awaitNothingHeld(kit.system(), held, Duration.ofSeconds(30))
          .toCompletableFuture();
      Thread.sleep(300);
      assertFalse(released.isDone(), "completed while an image was held");
      held.set(0);
      released.get(5, TimeUnit.SECONDS);

      long t0 = System.nanoTime();
      PipelineNode.awaitNothingHeld(kit.system(), new AtomicLong(1000), Duration.ofMillis(500))
          .toCompletableFuture().get(10, TimeUnit.SECONDS);
      long waited = (System.nanoTime() - t0) / 1_000_000;
      assertTrue(waited >= 480 && waited < 5000, "waited " + waited + " ms for a bound of 500 ms");
    } finally {
      kit.shutdownTestKit();
    }
  }

  private static double members(TestNode observer, String status) {
    return observer.registry.get("imgpipe.cluster.members").tag("status", status).gauge().value();
  }

  private static boolean isMember(TestNode observer, String address) {
    for (Member m : Cluster.get(observer.system()).state().getMembers()) {
      if (m.address().toString().equals(address)) {
        return true;
      }
    }
    return false;
  }

  private static boolean isUp(TestNode observer, String address) {
    for (Member m : Cluster.get(observer.system()).state().getMembers()) {
      if (m.address().toString().equals(address)) {
        return m.status() == akka.cluster.MemberStatus.up();
      }
    }
    return false;
  }
}
