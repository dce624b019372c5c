package dev.ripcord.starter.cli;

import dev.ripcord.starter.client.RipcordClient;
import dev.ripcord.workflows.audit.AuditEntry;
import dev.ripcord.workflows.release.ReleaseStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Follow a release's audit log until it ends (exit 0 completed, 1 rolled back).",
    footer = {"", "Example:", "  ripcord watch release-support-chat-chat-2026-11-b --interval 2s"})
final class WatchCommand implements Callable<Integer> {
  @Spec CommandSpec spec;
  @Mixin RipcordCli.Connection connection = new RipcordCli.Connection();

  @Parameters(paramLabel = "RELEASE_ID")
  String releaseId;

  @Option(names = "--interval", defaultValue = "1s", description = "poll interval, e.g. 500ms, 2s")
  String interval;

  @Override
  public Integer call() throws Exception {
    Duration every = dev.ripcord.workflows.policy.Durations.parse(interval);
    var out = spec.commandLine().getOut();
    try (RipcordClient client = connection.connect()) {
      int shown = 0;
      while (true) {
        List<AuditEntry> audit = client.audit(releaseId);
        for (int i = shown; i < audit.size(); i++) {
          out.println(audit.get(i));
        }
        shown = audit.size();
        ReleaseStatus s = client.status(releaseId);
        if (s.state().isFinal()) {
          out.println(s.line());
          return s.state() == dev.ripcord.workflows.release.ReleaseState.COMPLETED ? RipcordCli.OK
              : RipcordCli.CHECK_FAILED;
        }
        Thread.sleep(every.toMillis());
      }
    }
  }
}
