package dev.ripcord.starter.cli;

import dev.ripcord.starter.login.LoginStore;
import dev.ripcord.starter.login.OidcClient;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "logout", mixinStandardHelpOptions = true, header = "End your sign-in at an identity provider.",
    description = {"Revoke your refresh token at the issuer (when it offers revocation) and forget the sign-in."})
final class LogoutCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--issuer", defaultValue = "${env:RIPCORD_ISSUER}", required = true,
      description = "the issuer you signed in at (env RIPCORD_ISSUER)")
  String issuer;

  @Override
  public Integer call() throws Exception {
    LoginStore store = LoginStore.ofUser();
    var login = store.get(issuer);
    if (login.isEmpty()) {
      spec.commandLine().getOut().println("not signed in at " + issuer);
      return RipcordCli.OK;
    }
    boolean revoked = false;
    try {
      revoked = new OidcClient(login.get().issuer(), login.get().clientId()).revoke(login.get().refreshToken());
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("ripcord logout: could not revoke at " + issuer + " (" + e.getMessage()
          + "); forgetting the sign-in here anyway");
    }
    store.remove(issuer);
    spec.commandLine().getOut().println("signed out of " + issuer + (revoked ? " (refresh token revoked)" : ""));
    return RipcordCli.OK;
  }
}
