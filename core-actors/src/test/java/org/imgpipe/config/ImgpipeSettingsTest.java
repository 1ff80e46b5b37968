package org.imgpipe.config;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import org.junit.jupiter.api.Test;

class ImgpipeSettingsTest {

  @Test
  void referenceLayersImgpipesAkkaSettingsAboveAkkasOwnDefaults() {
    // Akka's reference.conf alone says "local": only the explicit layer makes a node a cluster member.
    assertEquals("local", ConfigFactory.defaultReference().getString("akka.actor.provider"));
    Config ref = ImgpipeSettings.reference().resolve();
    assertEquals("cluster", ref.getString("akka.actor.provider"));
    assertEquals("akka.cluster.sbr.SplitBrainResolverProvider", ref.getString("akka.cluster.downing-provider-class"));
    assertEquals("keep-majority", ref.getString("akka.cluster.split-brain-resolver.active-strategy"));
    assertEquals("off", ref.getString("akka.actor.allow-java-serialization"));
  }

  @Test
  void aSystemPropertyStillOverridesTheLayeredAkkaSettings() {
    System.setProperty("akka.cluster.split-brain-resolver.stable-after", "7s");
    try {
      ConfigFactory.invalidateCaches();
      Config c = ImgpipeSettings.load();
      assertEquals(7, c.getDuration("akka.cluster.split-brain-resolver.stable-after").toSeconds());
    } finally {
      System.clearProperty("akka.cluster.split-brain-resolver.stable-after");
      ConfigFactory.invalidateCaches();
    }
  }

  @Test
  void theDefaultsReadAsTheOriginalsPortsAndLimits() {
    ImgpipeSettings s = new ImgpipeSettings(ImgpipeSettings.load());
    assertEquals(50052, s.ports().resize());
    assertEquals(50053, s.ports().filter());
    assertEquals(50054, s.ports().watermark());
    assertEquals(50055, s.ports().orchestrator());
    assertEquals(50056, s.ports().format());
    assertEquals(64L * 1024 * 1024, s.limits().maxRequestBytes());
    assertEquals(50_000_000L, s.limits().maxDecodedPixels());
  }
}
