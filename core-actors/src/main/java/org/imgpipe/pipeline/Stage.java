package org.imgpipe.pipeline;

import org.imgpipe.config.ImgpipeSettings.Role;

/** The four image stages; each one is a cluster-sharded pool of worker slots. */
public enum Stage {
  RESIZE(Role.RESIZE, "Resize"),
  FILTER(Role.FILTER, "Filter"),
  WATERMARK(Role.WATERMARK, "Watermark"),
  FORMAT(Role.FORMAT, "Format");

  private final Role role;
  private final String label;

  Stage(Role role, String label) {
    this.role = role;
    this.label = label;
  }

  /** The cluster role of the nodes that host this stage's slots. */
  public Role role() {
    return role;
  }

  /** The name used in messages, host_map and metrics ("Resize", "Filter", ...). */
  public String label() {
    return label;
  }

  /** Lower-case name, used for entity type keys, slot ids and metric tags. */
  public String key() {
    return role.configName();
  }
}
