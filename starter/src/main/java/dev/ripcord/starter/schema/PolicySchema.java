package dev.ripcord.starter.schema;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.github.victools.jsonschema.generator.Option;
import com.github.victools.jsonschema.generator.OptionPreset;
import com.github.victools.jsonschema.generator.SchemaGenerator;
import com.github.victools.jsonschema.generator.SchemaGeneratorConfigBuilder;
import com.github.victools.jsonschema.generator.SchemaVersion;
import com.github.victools.jsonschema.module.jackson.JacksonModule;
import com.github.victools.jsonschema.module.jackson.JacksonOption;
import dev.ripcord.workflows.policy.Action;
import dev.ripcord.workflows.policy.Category;
import dev.ripcord.workflows.policy.ConditionSpec;
import dev.ripcord.workflows.policy.CriterionSpec;
import dev.ripcord.workflows.policy.Direction;
import dev.ripcord.workflows.policy.GenAiPresets;
import dev.ripcord.workflows.policy.GovernanceSpec;
import dev.ripcord.workflows.policy.LeafKind;
import dev.ripcord.workflows.policy.Named;
import dev.ripcord.workflows.policy.ObservationSpec;
import dev.ripcord.workflows.policy.OnTimeout;
import dev.ripcord.workflows.policy.ReleasePolicy;
import dev.ripcord.workflows.policy.Severity;
import dev.ripcord.workflows.policy.SignalKind;
import dev.ripcord.workflows.policy.SignalSpec;
import dev.ripcord.workflows.policy.PolicyValidator;
import dev.ripcord.workflows.policy.Source;
import java.util.List;
import java.util.Map;

/**
 * The policy's JSON Schema (draft 2020-12), generated from the policy records so it cannot drift from them: field
 * names as Jackson reads them, unknown fields refused, enumerated values listed. Editors use it through the
 * {@code # yaml-language-server: $schema=...} line at the top of each example. The validator still decides: the
 * schema knows shapes and names, not ranges across fields (stages increasing, roles declared, ...).
 */
public final class PolicySchema {
  /** The field of each record that takes one of an enum's texts. */
  private static final Map<Class<?>, Map<String, List<String>>> ENUMERATED = Map.of(
      CriterionSpec.class, Map.of("action", Named.texts(Action.class), "severity", Named.texts(Severity.class)),
      ObservationSpec.AlertRule.class, Map.of("action", Named.texts(Action.class)),
      ObservationSpec.class, Map.of("source", Named.texts(Source.class)),
      SignalSpec.class, Map.of("kind", Named.texts(SignalKind.class), "category", Named.texts(Category.class),
          "direction", Named.texts(Direction.class), "unit", SignalSpec.UNITS),
      GovernanceSpec.DecisionRight.class, Map.of("onTimeout", Named.texts(OnTimeout.class)),
      ConditionSpec.class, Map.of("test", LeafKind.TESTS, "sliceVs", List.of("rest", "baseline")),
      ObservationSpec.SignalQuery.class, Map.of("preset", List.copyOf(GenAiPresets.PRESETS.keySet()),
          "by", GenAiPresets.BY));

  private PolicySchema() {}

  /** Turns {@code properties.field}'s enum into "one of the enum, or x-<name>". */
  private static void customNamesAllowed(ObjectNode properties, String field) {
    ObjectNode f = (ObjectNode) properties.get(field);
    var names = f.remove("enum");
    var anyOf = f.putArray("anyOf");
    anyOf.addObject().set("enum", names);
    anyOf.addObject().put("pattern", "^" + PolicyValidator.CUSTOM_NAME.pattern() + "$");
  }

  public static ObjectNode generate() {
    SchemaGeneratorConfigBuilder config = new SchemaGeneratorConfigBuilder(SchemaVersion.DRAFT_2020_12,
        OptionPreset.PLAIN_JSON)
        .with(new JacksonModule(JacksonOption.RESPECT_JSONPROPERTY_REQUIRED))
        .with(Option.FORBIDDEN_ADDITIONAL_PROPERTIES_BY_DEFAULT, Option.MAP_VALUES_AS_ADDITIONAL_PROPERTIES)
        .without(Option.NONSTATIC_NONVOID_NONGETTER_METHODS, Option.VOID_METHODS, Option.GETTER_METHODS);
    config.forFields().withEnumResolver(field -> {
      Map<String, List<String>> byName = ENUMERATED.get(field.getDeclaringType().getErasedType());
      return byName == null ? null : byName.get(field.getDeclaredName());
    });
    ObjectNode schema = new SchemaGenerator(config.build()).generateSchema(ReleasePolicy.class);
    // A source or router of a team's own (x-<name>, one worker bean) is as valid as a built-in one.
    customNamesAllowed(schema.with("properties").with("observations").with("properties"), "source");
    ObjectNode routerType = schema.with("properties").with("router").with("properties").with("type");
    routerType.putArray("enum").addAll(PolicyValidator.ROUTERS.stream()
        .map(com.fasterxml.jackson.databind.node.TextNode::valueOf).toList());
    customNamesAllowed(schema.with("properties").with("router").with("properties"), "type");
    schema.put("$id", "https://ripcord.dev/schema/policy-v1.json");
    schema.put("title", "Ripcord release policy (" + ReleasePolicy.API_VERSION + ")");
    return schema;
  }
}
