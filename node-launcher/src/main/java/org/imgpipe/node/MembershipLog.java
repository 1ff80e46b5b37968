package org.imgpipe.node;

import akka.actor.typed.Behavior;
import akka.actor.typed.javadsl.AbstractBehavior;
import akka.actor.typed.javadsl.ActorContext;
import akka.actor.typed.javadsl.Behaviors;
import akka.actor.typed.javadsl.Receive;
import akka.cluster.ClusterEvent;
import akka.cluster.Member;
import akka.cluster.typed.Cluster;
import akka.cluster.typed.Subscribe;

/** Logs every cluster membership and reachability change, one line each, as operators read them. */
final class MembershipLog extends AbstractBehavior<ClusterEvent.ClusterDomainEvent> {

  static Behavior<ClusterEvent.ClusterDomainEvent> create() {
    return Behaviors.setup(MembershipLog::new);
  }

  private MembershipLog(ActorContext<ClusterEvent.ClusterDomainEvent> context) {
    super(context);
    Cluster cluster = Cluster.get(context.getSystem());
    cluster.subscriptions().tell(Subscribe.create(context.getSelf().<ClusterEvent.MemberEvent>narrow(), ClusterEvent.MemberEvent.class));
    cluster.subscriptions().tell(Subscribe.create(context.getSelf().<ClusterEvent.ReachabilityEvent>narrow(),
        ClusterEvent.ReachabilityEvent.class));
  }

  @Override
  public Receive<ClusterEvent.ClusterDomainEvent> createReceive() {
    return newReceiveBuilder()
        .onMessage(ClusterEvent.MemberUp.class, e -> log("member up", e.member()))
        .onMessage(ClusterEvent.MemberJoined.class, e -> log("member joining", e.member()))
        .onMessage(ClusterEvent.MemberLeft.class, e -> log("member leaving", e.member()))
        .onMessage(ClusterEvent.MemberExited.class, e -> log("member exited", e.member()))
        .onMessage(ClusterEvent.MemberRemoved.class, e -> log("member removed", e.member()))
        .onMessage(ClusterEvent.MemberDowned.class, e -> log("member downed", e.member()))
        .onMessage(ClusterEvent.UnreachableMember.class, e -> log("member unreachable", e.member()))
        .onMessage(ClusterEvent.ReachableMember.class, e -> log("member reachable again", e.member()))
        .onAnyMessage(e -> this)
        .build();
  }

  private MembershipLog log(String what, Member m) {
    getContext().getLog().info("cluster: {} {} roles [{}]", what, m.address(),
        String.join(", ", new java.util.TreeSet<>(m.getRoles()).stream()
            .filter(r -> !r.startsWith("dc-")).toList()));
    return this;
  }
}
