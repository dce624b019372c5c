package dev.ripcord.starter.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the CLI, as a shell would see it: the exit code and what it printed on each stream. */
public record CliRun(int code, String out, String err) {
  public static CliRun ripcord(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = RipcordCli.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new CliRun(code, out.toString(), err.toString());
  }
}
