package org.imgpipe.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import org.imgpipe.node.NodeCommand;
import org.imgpipe.node.NodeConfigException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The {@code imgpipe} command: a node, the demo batch, single calls, status, probe and bench. */
@Command(name = "imgpipe", mixinStandardHelpOptions = true, versionProvider = ImgpipeCli.Version.class,
    description = "imgpipe: a distributed image-processing pipeline on Akka Cluster, serving the original XML-RPC services (Resize 50052, Filter 50053, Watermark 50054, Orchestrator 50055, Format 50056).",
    subcommands = {NodeCommand.class, DemoCommand.class, ProcessCommand.class, ResizeCommand.class,
        FilterCommand.class, WatermarkCommand.class, FormatCommand.class, StatusCommand.class, ProbeCommand.class,
        BenchCommand.class, org.imgpipe.panel.GuiCommand.class, CommandLine.HelpCommand.class},
    footer = {"", "Quick start:  imgpipe demo", "Run 'imgpipe COMMAND --help' for a command's options."})
public final class ImgpipeCli implements Callable<Integer> {

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** The command line with imgpipe's error handling: one line, no stack trace, exit code 1. */
  public static CommandLine commandLine() {
    CommandLine cl = new CommandLine(new ImgpipeCli());
    cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
      PrintWriter err = cmd.getErr();
      if (e instanceof CliException || e instanceof NodeConfigException) {
        err.println("imgpipe " + cmd.getCommandName() + ": " + e.getMessage());
      } else {
        err.println("imgpipe " + cmd.getCommandName() + ": " + (e.getMessage() == null ? e.toString() : e.getMessage()));
        if (System.getenv("IMGPIPE_DEBUG") != null) {
          e.printStackTrace(err);
        }
      }
      err.flush();
      return 1;
    });
    return cl;
  }

  public static void main(String[] args) {
    // The JDK keeps at most 5 idle connections per server by default; batch and bench run up to
    // --concurrency calls at once, and each call that finds no idle connection opens a new one.
    if (System.getProperty("http.maxConnections") == null) {
      System.setProperty("http.maxConnections", "64");
    }
    int code = commandLine().execute(args);
    System.exit(code);
  }

  /** The version from the jar's manifest. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      String v = ImgpipeCli.class.getPackage().getImplementationVersion();
      return new String[] {"imgpipe " + (v == null ? "(development build)" : v)};
    }
  }
}
