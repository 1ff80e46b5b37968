package org.imgpipe.cli;

import java.time.Duration;
import org.imgpipe.demo.BusyRetry;
import org.imgpipe.node.NodeCommand;
import picocli.CommandLine.Option;

/** Options every client command shares: the call timeout and the busy retry. */
final class CallOptions {

  @Option(names = "--timeout", paramLabel = "DURATION", defaultValue = "120s",
      converter = NodeCommand.DurationConverter.class,
      description = "Connect and answer timeout per call (default ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(names = "--retries", paramLabel = "N", defaultValue = "5",
      description = "Retries, with backoff, when a node answers busy (default ${DEFAULT-VALUE}; 0: none).")
  int retries;

  BusyRetry retry() {
    if (retries < 0) {
      throw new CliException("--retries must be 0 or more");
    }
    return retries == 0 ? BusyRetry.NONE
        : new BusyRetry(retries + 1, BusyRetry.DEFAULT.firstDelay(), BusyRetry.DEFAULT.maxDelay());
  }

  Remote remote(Endpoint endpoint) {
    return new Remote(endpoint, timeout, retry());
  }
}
