package dev.ripcord.starter.cli;

import dev.ripcord.starter.login.LoginStore;
import dev.ripcord.starter.login.OidcClient;
import dev.ripcord.starter.login.SignIn;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "login", mixinStandardHelpOptions = true,
    header = "Sign in at your identity provider, for releases that verify identity.",
    description = {"Sign in at the identity provider the policies trust (OAuth 2.0 device authorization: open the",
        "address shown, sign in there, confirm the code). Afterwards every decision, label and start of a release",
        "that verifies identity with that issuer carries a fresh token of yours, with no --token-file: each command",
        "asks the issuer for one (a token counts once). The sign-in is kept per issuer in",
        "$RIPCORD_CONFIG_DIR/logins.json (default ~/.config/ripcord), readable by you only; ripcord logout ends it."},
    footer = {"", "Example:", "  ripcord login --issuer https://login.example.com/realms/ripcord"})
final class LoginCommand implements Callable<Integer> {
  @Spec picocli.CommandLine.Model.CommandSpec spec;

  @Option(names = "--issuer", defaultValue = "${env:RIPCORD_ISSUER}", required = true,
      description = "the issuer your policies' governance.identity.issuer names (env RIPCORD_ISSUER)")
  String issuer;

  @Option(names = "--client-id", defaultValue = "${env:RIPCORD_CLIENT_ID:-ripcord-cli}",
      description = "the issuer's client for the CLI, public, with the device grant on (default ${DEFAULT-VALUE})")
  String clientId;

  @Option(names = "--scope", defaultValue = "openid email", description = "scopes asked (default: ${DEFAULT-VALUE})")
  String scope;

  @Override
  public Integer call() throws Exception {
    var out = spec.commandLine().getOut();
    try {
      LoginStore.Login login = SignIn.deviceLogin(new OidcClient(issuer, clientId), scope, LoginStore.ofUser(), out);
      out.println("signed in" + (login.person() == null ? "" : " as " + login.person()) + " at " + login.issuer()
          + "; decisions of releases that verify identity with it now carry your fresh token");
      return RipcordCli.OK;
    } catch (java.io.IOException e) {
      spec.commandLine().getErr().println("ripcord login: " + e.getMessage());
      return RipcordCli.CHECK_FAILED;
    }
  }
}
