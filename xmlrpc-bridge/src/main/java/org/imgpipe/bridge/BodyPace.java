package org.imgpipe.bridge;

import akka.stream.Attributes;
import akka.stream.FlowShape;
import akka.stream.Inlet;
import akka.stream.Outlet;
import akka.stream.stage.AbstractInHandler;
import akka.stream.stage.AbstractOutHandler;
import akka.stream.stage.GraphStage;
import akka.stream.stage.GraphStageLogic;
import akka.stream.stage.TimerGraphStageLogic;
import akka.util.ByteString;
import java.time.Duration;

/**
 * Fails a request body that does not start, or stops, arriving: its clock runs only while the node asks
 * for the next bytes, so a body the node itself holds back (waiting for request memory) is never timed out
 * for it. Akka HTTP's idle-timeout restarts with every byte of the connection, so it does not catch a
 * client that sends a head and no body.
 */
final class BodyPace extends GraphStage<FlowShape<ByteString, ByteString>> {

  /** The body did not arrive in time. */
  static final class Stalled extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final boolean started;

    Stalled(boolean started) {
      super(started ? "the request body stopped arriving" : "the request body did not start", null, false, false);
      this.started = started;
    }

    boolean started() {
      return started;
    }
  }

  private final Inlet<ByteString> in = Inlet.create("BodyPace.in");
  private final Outlet<ByteString> out = Outlet.create("BodyPace.out");
  private final FlowShape<ByteString, ByteString> shape = FlowShape.of(in, out);
  private final Duration timeout;

  BodyPace(Duration timeout) {
    this.timeout = timeout;
  }

  @Override
  public FlowShape<ByteString, ByteString> shape() {
    return shape;
  }

  @Override
  public GraphStageLogic createLogic(Attributes attributes) {
    return new TimerGraphStageLogic(shape) {
      private boolean started;

      {
        setHandler(in, new AbstractInHandler() {
          @Override
          public void onPush() {
            cancelTimer("pace");
            started = true;
            push(out, grab(in));
          }
        });
        setHandler(out, new AbstractOutHandler() {
          @Override
          public void onPull() {
            pull(in);
            scheduleOnce("pace", timeout);
          }
        });
      }

      @Override
      public void onTimer(Object key) {
        failStage(new Stalled(started));
      }
    };
  }
}
