package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * The validator answers every policy with problems (each with a path), never with an exception: the example policies
 * with random leaves replaced by the values an adversarial user tries.
 */
class PolicyMutationProperties {
  private static final YAMLMapper YAML = new YAMLMapper();
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;

  @Property(tries = 400)
  void mutatedExamplesGetProblemsNeverExceptions(@ForAll("examples") String example, @ForAll("edits") List<Edit> edits)
      throws Exception {
    JsonNode tree = YAML.readTree(example);
    for (Edit e : edits) {
      List<JsonNode> parents = new ArrayList<>();
      collect(tree, parents);
      JsonNode parent = parents.get(Math.floorMod(e.at(), parents.size()));
      if (parent instanceof ObjectNode o && o.size() > 0) {
        Iterator<String> names = o.fieldNames();
        String name = names.next();
        for (int i = 0; i < Math.floorMod(e.at() / 7, o.size()); i++) {
          name = names.next();
        }
        o.set(name, e.value());
      } else if (parent instanceof ArrayNode a && a.size() > 0) {
        a.set(Math.floorMod(e.at() / 7, a.size()), e.value());
      }
    }
    for (String text : List.of(YAML.writeValueAsString(tree), JSON.writeValueAsString(tree))) {
      List<PolicyProblem> problems = new ArrayList<>();
      ReleasePolicy p = PolicyLoader.parse(text, problems);
      if (p != null) {
        problems.addAll(PolicyValidator.validate(p));
        problems.addAll(PolicyValidator.validate(p, false));
      }
      for (PolicyProblem problem : problems) {
        assertTrue(problem.path().startsWith("$"), problem.toString());
        assertTrue(problem.message() != null && !problem.message().isBlank(), problem.toString());
        assertTrue(!problem.message().startsWith(PolicyValidator.INTERNAL), "a check crashed on:\n" + text + "\n"
            + problem);
      }
    }
  }

  private static void collect(JsonNode n, List<JsonNode> into) {
    if (n.isContainerNode()) {
      into.add(n);
      n.elements().forEachRemaining(c -> collect(c, into));
    }
  }

  record Edit(int at, JsonNode value) {}

  @Provide
  Arbitrary<String> examples() throws Exception {
    List<String> texts = new ArrayList<>();
    try (var files = Files.list(Path.of("../examples"))) {
      for (Path f : files.filter(f -> f.toString().endsWith(".yaml")).sorted().toList()) {
        texts.add(Files.readString(f));
      }
    }
    return Arbitraries.of(texts);
  }

  @Provide
  Arbitrary<List<Edit>> edits() {
    Arbitrary<JsonNode> values = Arbitraries.of(List.of(
        F.textNode("NaN"), F.textNode("Infinity"), F.numberNode(Double.NaN), F.numberNode(-1), F.numberNode(5.9),
        F.numberNode(Long.MAX_VALUE), F.numberNode(Integer.MAX_VALUE), F.numberNode(0), F.textNode(""),
        F.nullNode(), F.textNode("0s"), F.textNode("500ms"), F.textNode("99999999999999999999s"),
        F.textNode("106751991167301d"), F.textNode("PT2562047788015215H"), F.textNode("../admin?x=1"),
        F.textNode("z".repeat(20_000)), F.booleanNode(true), F.objectNode().put("x-extra", 1),
        F.arrayNode().add(F.nullNode()), F.objectNode(), F.arrayNode(),
        JSON.valueToTree(Map.of("signal", "nope", "above", -3)), F.textNode("rollback")));
    return Arbitraries.integers().between(0, 10_000).flatMap(at -> values.map(v -> new Edit(at, v)))
        .list().ofMinSize(1).ofMaxSize(4);
  }
}
