package org.imgpipe.pipeline;

import akka.actor.typed.ActorRef;
import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import java.util.Map;
import java.util.UUID;
import org.imgpipe.config.ImgpipeSettings;

/** The orchestrator service of one node: a short-lived {@link Orchestrator} per process_image call. */
public final class Orchestration extends AbstractBehavior<Orchestration.Command> {

  public interface Command {}

  /** process_image: run the pipeline on {@code image} and answer once. */
  public record Process(String filename, byte[] image, ProcessOptions options, ActorRef<ProcessResult> replyTo)
      implements Command {}

  /** get_processing_status of a process id from any orchestrator node. */
  public record GetStatus(String processId, ActorRef<JobStatus> replyTo) implements Command {}

  public static Behavior<Command> create(Map<Stage, ActorRef<StagePool.Command>> pools,
      ActorRef<JobLedger.Command> ledger, ImgpipeSettings settings, Quarantine quarantine) {
    return Behaviors.setup(ctx -> new Orchestration(ctx, Map.copyOf(pools), ledger, settings, quarantine));
  }

  private final Map<Stage, ActorRef<StagePool.Command>> pools;
  private final ActorRef<JobLedger.Command> ledger;
  private final ImgpipeSettings settings;
  private final Quarantine quarantine;

  private Orchestration(ActorContext<Command> ctx, Map<Stage, ActorRef<StagePool.Command>> pools,
      ActorRef<JobLedger.Command> ledger, ImgpipeSettings settings, Quarantine quarantine) {
    super(ctx);
    this.pools = pools;
    this.ledger = ledger;
    this.settings = settings;
    this.quarantine = quarantine;
  }

  @Override
  public Receive<Command> createReceive() {
    return newReceiveBuilder()
        .onMessage(Process.class, this::onProcess)
        .onMessage(GetStatus.class, this::onGetStatus)
        .build();
  }

  private Behavior<Command> onProcess(Process p) {
    String processId = UUID.randomUUID().toString();
    getContext().spawn(Orchestrator.create(processId, p, pools, ledger, settings, quarantine), "process-" + processId);
    return this;
  }

  private Behavior<Command> onGetStatus(GetStatus g) {
    ledger.tell(new JobLedger.Get(g.processId() == null ? "" : g.processId(), g.replyTo()));
    return this;
  }
}
