package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.deser.DeserializationProblemHandler;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Reads a policy from YAML or JSON and validates it. Unknown fields and values of the wrong type are collected as
 * problems with their paths instead of stopping at the first, so one run shows everything to fix.
 */
public final class PolicyLoader {
  private static final ObjectMapper CANONICAL =
      JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS).build();

  /**
   * The largest policy text accepted: a policy travels in the release's start event, and Temporal refuses payloads
   * over 2 MB; real policies are a few kilobytes.
   */
  public static final int MAX_POLICY_BYTES = 256 * 1024;

  private PolicyLoader() {}

  /** A parsed policy with its content hash (SHA-256 of its canonical JSON). */
  public record Loaded(ReleasePolicy policy, String hash) {}

  /** Parses and validates; throws {@link InvalidPolicyException} listing every problem. */
  public static Loaded load(String source, String text) {
    PolicyProblem control = PolicyText.controlCharacter(text);
    if (control != null) {
      throw new InvalidPolicyException(source, List.of(control));
    }
    List<PolicyProblem> problems = new ArrayList<>();
    ReleasePolicy policy = parse(text, problems);
    if (policy != null) {
      problems.addAll(PolicyText.namesNotText(readTree(text)));
      problems.addAll(PolicyValidator.validate(policy));
    }
    if (!problems.isEmpty()) {
      throw new InvalidPolicyException(source, PolicyLocations.of(mapperFor(text), text).place(problems));
    }
    return new Loaded(policy, hash(policy));
  }

  /** Parses without validating; structural problems (unknown fields, wrong types, bad syntax) go to {@code problems}. */
  public static ReleasePolicy parse(String text, List<PolicyProblem> problems) {
    return parse(text, problems, true);
  }

  /**
   * As {@link #parse(String, List)}; {@code strict} adds the size limit and refuses fractional numbers where whole
   * ones belong (before the workflow's {@code strict-policy} marker, {@code 5.9} was read as {@code 5}).
   */
  public static ReleasePolicy parse(String text, List<PolicyProblem> problems, boolean strict) {
    int bytes = text.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
    if (strict && bytes > MAX_POLICY_BYTES) {
      problems.add(new PolicyProblem("$", "the policy is " + bytes + " bytes; the limit is " + MAX_POLICY_BYTES,
          "a policy is a few kilobytes: move long texts (templates, descriptions) out, or split the release"));
      return null;
    }
    boolean json = isJson(text);
    ObjectMapper mapper = mapperFor(text);
    mapper.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
    mapper.enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
    mapper.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    if (strict) {
      mapper.disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT);
    }
    mapper.addHandler(new CollectingHandler(problems));
    try (JsonParser parser = mapper.createParser(text)) {
      ReleasePolicy policy = parser.nextToken() == null ? null : mapper.readValue(parser, ReleasePolicy.class);
      if (policy == null) {
        problems.add(new PolicyProblem("$", "the document is empty", "start from one of the files in examples/"));
      } else if (parser.nextToken() == null) {
        problems.addAll(0, UnknownFields.of(mapper.readTree(text)));
      } else {
        problems.add(new PolicyProblem("$", json ? "more than one JSON value in the file"
            : "the file holds more than one YAML document ('---' at line " + parser.currentLocation().getLineNr() + ")",
            "put one policy in each file"));
        return null;
      }
      return policy;
    } catch (java.io.IOException io) {
      if (!(io instanceof JsonProcessingException e)) {
        throw new java.io.UncheckedIOException(io); // reading a String: never happens
      }
      String where = e.getLocation() == null ? "" : " at line " + e.getLocation().getLineNr()
          + ", column " + e.getLocation().getColumnNr();
      String message = e.getOriginalMessage();
      if (message != null && message.startsWith("Cannot coerce Floating-point value")) {
        message = message.replaceFirst("Cannot coerce Floating-point value \\((.*?)\\).*", "$1 is not a whole number");
      } else if (message != null && message.startsWith("Malformed numeric value")) {
        message = message + " is not a finite number";
      }
      boolean duplicate = message != null && message.startsWith("Duplicate field");
      problems.add(new PolicyProblem(pathOf(e), duplicate
          ? "a key appears twice" + where + ": " + message : "cannot read the document" + where + ": " + message,
          duplicate ? "keep one of them: a key given twice would silently take the last value"
              : "check the YAML/JSON syntax and the field's type"));
      return null;
    }
  }

  private static com.fasterxml.jackson.databind.JsonNode readTree(String text) {
    try {
      return mapperFor(text).readTree(text);
    } catch (JsonProcessingException e) {
      return null; // parse reported it
    }
  }

  private static boolean isJson(String text) {
    return text.stripLeading().startsWith("{");
  }

  /** A fresh mapper for the text's format: JSON when it starts with '{', YAML otherwise. */
  private static ObjectMapper mapperFor(String text) {
    return isJson(text) ? JsonMapper.builder().build() : new YAMLMapper(new YAMLFactory());
  }

  /** SHA-256 over the policy's canonical JSON (keys sorted), recorded in the release history. */
  public static String hash(ReleasePolicy policy) {
    try {
      byte[] json = CANONICAL.writeValueAsBytes(CANONICAL.valueToTree(policy));
      return "sha256:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash policy", e);
    }
  }

  /** The policy as canonical JSON text. */
  public static String toJson(ReleasePolicy policy) {
    try {
      return CANONICAL.writerWithDefaultPrettyPrinter().writeValueAsString(policy);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String pathOf(JsonProcessingException e) {
    if (e instanceof com.fasterxml.jackson.databind.JsonMappingException jme && !jme.getPath().isEmpty()) {
      StringBuilder b = new StringBuilder("$");
      for (var ref : jme.getPath()) {
        if (ref.getFieldName() != null) {
          b.append('.').append(ref.getFieldName());
        } else if (ref.getIndex() >= 0) {
          b.append('[').append(ref.getIndex()).append(']');
        }
      }
      return b.toString();
    }
    return "$";
  }

  static String pathOf(JsonStreamContext ctx) {
    List<String> parts = new ArrayList<>();
    for (JsonStreamContext c = ctx; c != null && !c.inRoot(); c = c.getParent()) {
      if (c.inArray()) {
        parts.add(0, "[" + c.getCurrentIndex() + "]");
      } else if (c.getCurrentName() != null) {
        parts.add(0, "." + c.getCurrentName());
      }
    }
    StringBuilder b = new StringBuilder("$");
    parts.forEach(b::append);
    return b.toString();
  }

  /** Records unknown fields and wrongly typed values with their path, then carries on. */
  private static final class CollectingHandler extends DeserializationProblemHandler {
    private final List<PolicyProblem> problems;

    CollectingHandler(List<PolicyProblem> problems) {
      this.problems = problems;
    }

    @Override
    public boolean handleUnknownProperty(DeserializationContext ctxt, JsonParser p, JsonDeserializer<?> deserializer,
        Object beanOrClass, String propertyName) throws java.io.IOException {
      // Reported with its exact path by UnknownFields, from the document tree: here the parser may be past it.
      p.skipChildren();
      return true;
    }

    @Override
    public Object handleWeirdStringValue(DeserializationContext ctxt, Class<?> targetType, String valueToConvert,
        String failureMsg) throws java.io.IOException {
      JsonParser p = ctxt.getParser();
      problems.add(new PolicyProblem(pathOf(p.getParsingContext()),
          "'" + valueToConvert + "' is not a " + describe(targetType), "write a " + describe(targetType)));
      return null;
    }

    @Override
    public Object handleWeirdNumberValue(DeserializationContext ctxt, Class<?> targetType, Number valueToConvert,
        String failureMsg) throws java.io.IOException {
      JsonParser p = ctxt.getParser();
      problems.add(new PolicyProblem(pathOf(p.getParsingContext()),
          valueToConvert + " is not a " + describe(targetType), "write a " + describe(targetType)));
      return null;
    }

    @Override
    public Object handleUnexpectedToken(DeserializationContext ctxt, JavaType targetType, com.fasterxml.jackson.core.JsonToken t,
        JsonParser p, String failureMsg) throws java.io.IOException {
      problems.add(new PolicyProblem(pathOf(p.getParsingContext()),
          "expected " + describe(targetType.getRawClass()) + " but found " + describeToken(t),
          "write a " + describe(targetType.getRawClass())));
      p.skipChildren();
      return null;
    }

    private static String describe(Class<?> type) {
      if (type == Integer.class || type == int.class || type == Long.class || type == long.class) {
        return "whole number";
      }
      if (type == Double.class || type == double.class) {
        return "number";
      }
      if (type == Boolean.class || type == boolean.class) {
        return "boolean (true/false)";
      }
      if (type == String.class) {
        return "string";
      }
      if (List.class.isAssignableFrom(type)) {
        return "list";
      }
      if (java.util.Map.class.isAssignableFrom(type)) {
        return "mapping";
      }
      return "mapping (" + type.getSimpleName() + ")";
    }

    private static String describeToken(com.fasterxml.jackson.core.JsonToken t) {
      if (t == null) {
        return "nothing";
      }
      return switch (t) {
        case START_ARRAY -> "a list";
        case START_OBJECT -> "a mapping";
        case VALUE_STRING -> "a string";
        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> "a number";
        case VALUE_TRUE, VALUE_FALSE -> "a boolean";
        default -> t.asString() == null ? t.name() : t.asString();
      };
    }
  }
}
