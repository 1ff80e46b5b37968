package org.imgpipe.cli;

import org.imgpipe.config.ImgpipeSettings;

/** The service ports and limits clients assume, read from the same defaults the nodes use. */
final class Defaults {

  private static final ImgpipeSettings SETTINGS = new ImgpipeSettings(ImgpipeSettings.load());

  private Defaults() {}

  static ImgpipeSettings.Ports ports() {
    return SETTINGS.ports();
  }

  static int port(ImgpipeSettings.Role role) {
    return SETTINGS.ports().of(role);
  }

  /** The given address with the role's default port filled in, or the default host and port. */
  static Endpoint endpoint(Endpoint given, ImgpipeSettings.Role role) {
    return (given == null ? new Endpoint(host(), 0) : given).orPort(port(role));
  }

  static String host() {
    return SETTINGS.node().host();
  }
}
