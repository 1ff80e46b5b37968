package org.imgpipe.cli;

import com.typesafe.config.ConfigFactory;
import org.imgpipe.config.ImgpipeSettings;

/** The service ports and limits clients assume, read from the same defaults the nodes use. */
final class Defaults {

  private static final ImgpipeSettings SETTINGS = new ImgpipeSettings(ConfigFactory.load());

  private Defaults() {}

  static ImgpipeSettings.Ports ports() {
    return SETTINGS.ports();
  }

  static int port(ImgpipeSettings.Role role) {
    return SETTINGS.ports().of(role);
  }

  static String host() {
    return SETTINGS.node().host();
  }
}
