package dev.ripcord.starter.cli;

import dev.ripcord.starter.client.RipcordClient;
import dev.ripcord.workflows.release.ReleaseStatus;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "status", mixinStandardHelpOptions = true, description = "Show a release's status.",
    footer = {"", "Example:", "  ripcord status release-support-chat-chat-2026-11-b --output json"})
final class StatusCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

  @Parameters(paramLabel = "RELEASE_ID")
  String releaseId;

  @Option(names = "--output", defaultValue = "text", description = "text or json")
  RipcordCli.Output output;

  @Mixin RipcordCli.PagesUrl pages = new RipcordCli.PagesUrl();

  @Override
  public Integer call() throws Exception {
    try (RipcordClient client = connection.connect()) {
      String build = client.build(releaseId);
      ReleaseStatus s;
      try {
        s = client.status(releaseId);
      } catch (RuntimeException e) {
        var report = client.endedWithoutWorker(releaseId, e);
        if (report == null) {
          throw e;
        }
        printEnded(report, build);
        return RipcordCli.OK;
      }
      if (output == RipcordCli.Output.json) {
        var json = RipcordCli.JSON.valueToTree(s);
        ((com.fasterxml.jackson.databind.node.ObjectNode) json).put("build", build);
        spec.commandLine().getOut().println(RipcordCli.JSON.writeValueAsString(json));
        return RipcordCli.OK;
      }
      print(spec, s, output);
      spec.commandLine().getOut().println("  build: " + (build == null ? "unversioned" : build));
      String url = pages.url();
      if (url != null && output == RipcordCli.Output.text) {
        spec.commandLine().getOut().println("  page: " + dev.ripcord.workflows.release.ReleaseInput.page(url,
            releaseId));
      }
    }
    return RipcordCli.OK;
  }

  /** A release that ended on a build whose workers are gone: what its result says. */
  private void printEnded(dev.ripcord.workflows.release.ReleaseReport r, String build) throws Exception {
    var out = spec.commandLine().getOut();
    if (output == RipcordCli.Output.json) {
      var json = (com.fasterxml.jackson.databind.node.ObjectNode) RipcordCli.JSON.valueToTree(r);
      json.put("build", build);
      out.println(RipcordCli.JSON.writeValueAsString(json));
      return;
    }
    out.println(r.releaseId() + ": " + r.state() + " (ended; no worker of its build answers, so this is its result)");
    out.println("  windows: " + r.windows() + (r.triggeredAt() == null ? "" : ", triggered " + r.triggeredAt())
        + (r.mitigatedAt() == null ? "" : ", mitigated " + r.mitigatedAt()));
    out.println("  build: " + (build == null ? "unversioned" : build));
    out.println("  its audit: ripcord audit " + r.releaseId() + "; its page: ripcord review " + r.releaseId()
        + " --output html");
  }

  static void print(CommandSpec spec, ReleaseStatus s, RipcordCli.Output output) throws Exception {
    var out = spec.commandLine().getOut();
    if (output == RipcordCli.Output.json) {
      out.println(RipcordCli.JSON.writeValueAsString(s));
      return;
    }
    out.println(s.line());
    if (s.lastExplanation() != null) {
      out.println("  last decision: " + s.lastVerdict().label() + " — " + s.lastExplanation());
    }
    if (s.waitingFor() != null) {
      out.println("  waiting for '" + s.waitingFor().right() + "' from " + s.waitingFor().roles()
          + (s.waitingFor().deadline() == null ? "" : " until " + s.waitingFor().deadline() + " (then "
          + s.waitingFor().onTimeout() + ")"));
      out.println("  answer with: ripcord approve|reject " + s.releaseId() + (s.identity() == null
          ? " --by you@example.com" : " --token-file YOUR_TOKEN_FILE (or RIPCORD_TOKEN)"));
    }
    if (s.identity() != null) {
      out.println("  identity: " + s.identity());
    }
    if (s.bundle() != null) {
      out.println("  bundle: " + s.bundle().id() + (s.bundle().baseline() == null ? ""
          : " (baseline " + s.bundle().baseline() + ")"));
      s.bundle().parts().forEach(part -> out.println("    " + part));
    }
  }
}
