package org.imgpipe.cli;

import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import org.imgpipe.config.ImgpipeSettings.Role;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code imgpipe status PROCESS_ID}: get_processing_status on the orchestrator. */
@Command(name = "status", mixinStandardHelpOptions = true,
    description = "Reports a job's status (get_processing_status): status, progress, current stage, stats.")
final class StatusCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Parameters(paramLabel = "PROCESS_ID", description = "The process_id a process_image answer gave.")
  String processId;

  @Option(names = "--orchestrator", paramLabel = "HOST:PORT", converter = Endpoint.Converter.class,
      description = "Orchestrator address (default 127.0.0.1:50055).")
  Endpoint orchestrator;

  @Mixin CallOptions call;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Endpoint orch = Defaults.endpoint(orchestrator, Role.ORCHESTRATOR);
    Map<String, Object> a = call.remote(orch).call(c -> c.getProcessingStatus(processId));
    out.printf("process_id        %s%n", a.get("process_id"));
    out.printf("status            %s%n", a.get("status"));
    out.printf("progress_percent  %s%n", a.get("progress_percent"));
    out.printf("current_stage     %s%n", a.get("current_stage"));
    if (a.get("stats") instanceof Map<?, ?> stats && !stats.isEmpty()) {
      out.println("stats");
      stats.forEach((k, v) -> out.printf("  %-22s %s%n", k, v));
    }
    a.forEach((k, v) -> {
      if (!java.util.Set.of("process_id", "status", "progress_percent", "current_stage", "stats").contains(k)) {
        out.printf("%-17s %s%n", k, v);
      }
    });
    out.flush();
    String status = String.valueOf(a.get("status"));
    return status.equalsIgnoreCase("failed") || status.equalsIgnoreCase("unknown") ? 1 : 0;
  }
}
