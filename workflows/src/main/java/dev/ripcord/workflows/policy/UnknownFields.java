package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The keys of a policy document that no field of the policy's records takes, each with its exact path. Found by
 * walking the document against the record types, because Jackson reports an unknown key of a record only once the
 * whole record is read, with the parser already past it (so a key whose value is a mapping got the wrong path).
 */
final class UnknownFields {
  private UnknownFields() {}

  static List<PolicyProblem> of(JsonNode document) {
    List<PolicyProblem> problems = new ArrayList<>();
    walk(document, ReleasePolicy.class, "$", problems);
    return problems;
  }

  private static void walk(JsonNode node, Type type, String path, List<PolicyProblem> problems) {
    if (node == null || node.isNull()) {
      return;
    }
    Class<?> raw = raw(type);
    if (raw.isRecord() && node.isObject()) {
      Map<String, Type> fields = fields(raw);
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        Type field = fields.get(e.getKey());
        if (field == null) {
          String near = Suggestions.nearest(e.getKey(), fields.keySet());
          problems.add(new PolicyProblem(path + "." + PolicyBounds.cut(e.getKey()), "unknown field '"
              + PolicyBounds.cut(e.getKey()) + "'", (near != null ? "did you mean '" + near + "'? " : "check the spelling; ")
              + raw.getSimpleName() + " fields are " + String.join(", ", fields.keySet())));
        } else {
          walk(e.getValue(), field, path + "." + e.getKey(), problems);
        }
      }
    } else if (List.class.isAssignableFrom(raw) && node.isArray() && type instanceof ParameterizedType p) {
      for (int i = 0; i < node.size(); i++) {
        walk(node.get(i), p.getActualTypeArguments()[0], path + "[" + i + "]", problems);
      }
    } else if (Map.class.isAssignableFrom(raw) && node.isObject() && type instanceof ParameterizedType p) {
      for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        walk(e.getValue(), p.getActualTypeArguments()[1], path + "." + PolicyBounds.cut(e.getKey()), problems);
      }
    }
  }

  /** JSON name → type of each record component. */
  private static Map<String, Type> fields(Class<?> record) {
    Map<String, Type> out = new LinkedHashMap<>();
    for (RecordComponent c : record.getRecordComponents()) {
      JsonProperty name = c.getAccessor().getAnnotation(JsonProperty.class); // the annotation reaches the accessor
      out.put(name == null || name.value().isEmpty() ? c.getName() : name.value(), c.getGenericType());
    }
    return out;
  }

  private static Class<?> raw(Type t) {
    return t instanceof Class<?> c ? c : t instanceof ParameterizedType p ? (Class<?>) p.getRawType() : Object.class;
  }
}
