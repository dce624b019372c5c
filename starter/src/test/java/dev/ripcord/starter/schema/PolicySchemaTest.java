package dev.ripcord.starter.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** The policy's JSON Schema, checked by a JSON Schema validator against every example and against broken ones. */
class PolicySchemaTest {
  private static final Path EXAMPLES = Path.of("../examples");
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final JsonSchema SCHEMA = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012)
      .getSchema(PolicySchema.generate());

  private static List<Path> examples() throws Exception {
    try (Stream<Path> files = Files.list(EXAMPLES)) {
      return files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList();
    }
  }

  private static Set<ValidationMessage> check(String yaml) throws Exception {
    return SCHEMA.validate(YAML.readTree(yaml));
  }

  @Test
  void theCommittedSchemaIsTheGeneratedOne() throws Exception {
    String generated = new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(PolicySchema.generate())
        + System.lineSeparator();
    assertEquals(generated, Files.readString(Path.of("../docs/ripcord-policy.schema.json")),
        "docs/ripcord-policy.schema.json is stale: java -jar starter/target/ripcord.jar policy schema >"
            + " docs/ripcord-policy.schema.json");
  }

  @Test
  void everyExampleValidatesAndPointsEditorsAtTheSchema() throws Exception {
    List<Path> files = examples();
    assertTrue(files.size() >= 4, files.toString());
    for (Path f : files) {
      String text = Files.readString(f);
      assertTrue(text.startsWith("# yaml-language-server: $schema=../docs/ripcord-policy.schema.json\n"), f + "");
      assertEquals(Set.of(), check(text), f.toString());
    }
  }

  @Test
  void brokenPoliciesAreRejectedWhereTheyBreak() throws Exception {
    String ok = Files.readString(EXAMPLES.resolve("conversational-agent.yaml"));
    assertRejected(ok.replace("{name: canary, weight: 5,   bake: 30m", "{name: canary, weight: 5,   baek: 30m"),
        "$.stages[1]", "baek");
    assertRejected(ok.replace("action: rollback-after-approval", "action: rollback-later"),
        "action", "rollback-later");
    assertRejected(ok.replace("{name: canary, weight: 5,", "{name: canary, weight: five,"), "$.stages[1].weight",
        "five");
    assertRejected(ok.replace("    onTimeout: rollback", "    onTimeout: later"), "onTimeout", "later");
  }

  @Test
  void aSourceOrRouterOfATeamsOwnIsAsValidAsABuiltInOne() throws Exception {
    String ok = Files.readString(EXAMPLES.resolve("conversational-agent.yaml"));
    String custom = ok.replace("  source: pushed", "  source: x-bigquery\n  settings: {dataset: evals, table:"
        + " window_scores}");
    assertTrue(!custom.equals(ok), "the example reads pushed windows");
    assertEquals(Set.of(), check(custom), "an x- source with its settings");
    assertEquals(Set.of(), check(ok.replace("type: http", "type: x-envoy")), "an x- router");
    assertRejected(ok.replace("  source: pushed", "  source: bigquery"), "source", "bigquery");
    assertRejected(ok.replace("type: http", "type: envoy"), "type", "envoy");
  }

  private static void assertRejected(String yaml, String where, String what) throws Exception {
    Set<ValidationMessage> errors = check(yaml);
    assertTrue(errors.stream().anyMatch(e -> e.getInstanceLocation().toString().contains(where)
        || e.getMessage().contains(where)), where + " in " + errors);
    assertTrue(!errors.isEmpty() && (errors.toString().contains(what) || errors.toString().contains(where)),
        what + " in " + errors);
  }
}
