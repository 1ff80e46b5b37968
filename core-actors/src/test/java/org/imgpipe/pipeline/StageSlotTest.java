package org.imgpipe.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import akka.actor.testkit.typed.javadsl.TestProbe;
import akka.actor.typed.ActorRef;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.imgpipe.testing.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One slot on its own: the reservation protocol, and what the slot does when sharding hands it off
 * (StageSlot.Stop) while a sender holds a reservation or a job runs.
 */
class StageSlotTest {

  private static final byte[] PNG = TestImages.png(TestImages.solid(16, 8, 10, 20, 30));
  private static final Duration WAIT = Duration.ofSeconds(30);

  private TestNode node;
  private ScriptedWork work;
  private ExecutorService images;

  @BeforeEach
  void start() {
    ScriptedWork[] w = new ScriptedWork[1];
    node = TestNode.single("127.0.0.2", "", s -> w[0] = new ScriptedWork(s));
    work = w[0];
    images = Executors.newSingleThreadExecutor();
  }

  @AfterEach
  void stop() {
    work.release.countDown();
    images.shutdownNow();
    node.close();
  }

  private ActorRef<StageSlot.Command> slot() {
    return node.kit.spawn(StageSlot.create("format-0", work, images, node.pipeline.metrics(), Duration.ofSeconds(5),
        node.kit.createTestProbe(StageOutputs.Command.class).getRef()));
  }

  private static StageSlot.Work format(long ticket, int attempt, String format, ActorRef<StageSlot.Reply> to) {
    return new StageSlot.Work(ticket, attempt, new StageJob.Format(format, 0), new ImagePayload.Encoded(PNG),
        10_000, to);
  }

  @Test
  void reservationIsGivenBackWhenTheSlotIsHandedOff() {
    TestProbe<StageSlot.Reply> sender = node.kit.createTestProbe();
    ActorRef<StageSlot.Command> slot = slot();
    slot.tell(new StageSlot.Reserve(7, 2, sender.getRef()));
    StageSlot.Accepted ok = sender.expectMessageClass(StageSlot.Accepted.class, WAIT);
    assertEquals(7, ok.ticket());
    assertEquals(node.member(), ok.member());

    slot.tell(StageSlot.Stop.INSTANCE);
    StageSlot.Rejected back = sender.expectMessageClass(StageSlot.Rejected.class, WAIT);
    assertEquals(7, back.ticket());
    assertEquals(2, back.attempt());
    assertFalse(back.expired(), "a hand-off is not an expired deadline");
    sender.expectTerminated(slot, WAIT);
  }

  @Test
  void workWithoutItsOwnReservationIsRejectedAndNotRun() {
    TestProbe<StageSlot.Reply> sender = node.kit.createTestProbe();
    TestProbe<StageSlot.Reply> other = node.kit.createTestProbe();
    ActorRef<StageSlot.Command> slot = slot();
    // The image of an attempt reserved on an earlier incarnation of the slot arrives at a fresh one.
    slot.tell(format(1, 1, "PNG", sender.getRef()));
    StageSlot.Rejected stale = sender.expectMessageClass(StageSlot.Rejected.class, WAIT);
    assertEquals(1, stale.ticket());
    // Reserved for another sender: the first sender's image is refused too.
    slot.tell(new StageSlot.Reserve(2, 1, other.getRef()));
    other.expectMessageClass(StageSlot.Accepted.class, WAIT);
    slot.tell(format(1, 2, "PNG", sender.getRef()));
    assertEquals(2, sender.expectMessageClass(StageSlot.Rejected.class, WAIT).attempt());
    assertEquals(0, work.count(Stage.FORMAT), "a rejected image was worked on");

    // Its own reservation's image runs.
    slot.tell(format(2, 1, "PNG", other.getRef()));
    StageSlot.Done done = other.expectMessageClass(StageSlot.Done.class, WAIT);
    assertEquals(StageResult.Status.OK, done.result().status(), done.result().message());
    assertEquals(16, done.result().width());
    assertEquals(1, work.count(Stage.FORMAT));
  }

  @Test
  void runningJobIsAnsweredBeforeTheSlotStops() {
    TestProbe<StageSlot.Reply> sender = node.kit.createTestProbe();
    ActorRef<StageSlot.Command> slot = slot();
    slot.tell(new StageSlot.Reserve(3, 1, sender.getRef()));
    sender.expectMessageClass(StageSlot.Accepted.class, WAIT);
    slot.tell(format(3, 1, "HOLD", sender.getRef()));
    TestNode.awaitTrue(WAIT, () -> work.count(Stage.FORMAT) == 1, "the job did not start");

    slot.tell(StageSlot.Stop.INSTANCE);
    // Stopping: a new reservation is refused, the running job is not dropped.
    slot.tell(new StageSlot.Reserve(4, 1, sender.getRef()));
    assertEquals(4, sender.expectMessageClass(StageSlot.Rejected.class, WAIT).ticket());
    sender.expectNoMessage(Duration.ofMillis(200));
    work.release.countDown();
    StageSlot.Done done = sender.expectMessageClass(StageSlot.Done.class, WAIT);
    assertEquals(3, done.ticket());
    assertInstanceOf(ImagePayload.class, done.result().image());
    assertEquals(StageResult.Status.OK, done.result().status(), done.result().message());
    sender.expectTerminated(slot, WAIT);
  }
}
