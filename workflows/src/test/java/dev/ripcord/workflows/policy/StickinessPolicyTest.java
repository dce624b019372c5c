package dev.ripcord.workflows.policy;

import static dev.ripcord.workflows.policy.ExamplePolicy.edit;
import static dev.ripcord.workflows.policy.ExamplePolicy.problems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ripcord.workflows.testing.PolicyBuilder;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code router.stickiness}: a header or a cookie, named as HTTP allows, on a router that can keep a user on one
 * version; and a warning when users stick to an arm but no signal is judged over them.
 */
class StickinessPolicyTest {
  private static final String HTTP = "type: http\n  url: http://gateway.internal:8080\n  route: support-chat";

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      http, header       | type: http\\n  url: http://gateway.internal:8080\\n  route: support-chat
      haproxy, cookie    | type: haproxy\\n  url: tcp://127.0.0.1:9999\\n  route: models
      gateway-api        | type: gateway-api\\n  route: models/support-chat
      external           | type: external
      """)
  void aRouterThatCanKeepUsersTakesAHeaderOrACookie(String name, String router) {
    String sticky = router.replace("\\n", "\n") + "\n  stickiness: " + (name.endsWith("cookie")
        ? "{cookie: session}" : "{header: X-User-Id}");
    assertEquals(List.of(), problems(edit(HTTP, sticky)));
    assertEquals(new Stickiness(name.endsWith("cookie") ? null : "X-User-Id", name.endsWith("cookie") ? "session"
        : null), PolicyLoader.parse(edit(HTTP, sticky), new java.util.ArrayList<>()).router().stickiness());
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      {}                                     | $.router.stickiness        | names neither a header nor a cookie
      {header: X-User-Id, cookie: session}   | $.router.stickiness        | names both a header and a cookie
      {header: 'X User'}                     | $.router.stickiness.header | 'X User' is not an HTTP header name
      {cookie: 'a;b'}                        | $.router.stickiness.cookie | 'a;b' is not an HTTP cookie name
      """)
  void aMalformedStickinessIsRefusedAtItsField(String value, String path, String message) {
    List<String> problems = problems(edit(HTTP, HTTP + "\n  stickiness: " + value));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith(path + ":") && p.contains(message)
        && p.contains("X-User-Id")), problems.toString());
  }

  @Test
  void kserveCannotKeepAUserOnOneVersion() {
    List<String> problems = problems(edit(HTTP, "type: kserve\n  route: models/summarizer\n  stickiness: {header: X-User-Id}"));
    assertTrue(problems.stream().anyMatch(p -> p.startsWith("$.router.stickiness: KServe splits requests")
        && p.contains("type: gateway-api")), problems.toString());
  }

  @Test
  void stickyUsersJudgedOutputByOutputAreAWarning() {
    RouterSpec sticky = new RouterSpec("http", "http://gateway:8080", "chat", null, new Stickiness("X-User-Id", null));
    ReleasePolicy outputs = PolicyBuilder.chat().router(sticky).build();
    assertEquals(List.of(), PolicyValidator.validate(outputs));
    List<PolicyProblem> warnings = ConsistencyChecks.warnings(outputs).stream()
        .filter(w -> w.path().equals("$.router.stickiness")).toList();
    assertEquals(1, warnings.size(), warnings.toString());
    assertTrue(warnings.get(0).message().contains("no signal declares its unit") && warnings.get(0).hint()
        .contains("unit: user"), warnings.toString());
    ReleasePolicy units = PolicyBuilder.chat().router(sticky).byUser("rollback").build();
    assertTrue(ConsistencyChecks.warnings(units).stream().noneMatch(w -> w.path().equals("$.router.stickiness")),
        "a signal judged over users: no warning");
    assertTrue(ConsistencyChecks.warnings(PolicyBuilder.chat().build()).stream()
        .noneMatch(w -> w.path().equals("$.router.stickiness")), "no stickiness: no warning");
  }
}
