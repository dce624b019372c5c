package dev.ripcord.workflows.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * What a release bundle is as a whole: its content id, a short form for people, the parts that changed between two
 * bundles, and the stage past which reverting it would do harm. Pure and deterministic; the workflow uses it.
 */
public final class Bundles {
  /** The parts a generative release is made of; a team adds its own as {@code x-<name>}. */
  public static final List<String> KNOWN_PARTS =
      List.of("weights", "systemPrompt", "decoding", "guardrails", "retrievalIndex", "tools");
  private static final ObjectMapper CANONICAL = JsonMapper.builder()
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(com.fasterxml.jackson.databind.MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
      .build();

  private Bundles() {}

  /**
   * {@code bundle:<sha256>} over the bundle's canonical JSON (keys sorted), or null for no bundle. Every part's
   * version, digest, URI and settings count; whether a part is irreversible does not (the content is the same).
   */
  public static String id(Map<String, BundlePart> bundle) {
    if (bundle == null || bundle.isEmpty()) {
      return null;
    }
    Map<String, BundlePart> content = new java.util.TreeMap<>();
    bundle.forEach((name, part) -> content.put(name, part == null ? null
        : new BundlePart(part.version(), part.digest(), part.uri(), part.settings(), null)));
    try {
      byte[] json = CANONICAL.writeValueAsString(CANONICAL.valueToTree(content)).getBytes(StandardCharsets.UTF_8);
      return "bundle:" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (JsonProcessingException | NoSuchAlgorithmException e) {
      throw new IllegalStateException("cannot hash the release bundle", e);
    }
  }

  /** The id's first 12 hex digits, as the UI and the status show it ({@code bundle:1a2b3c4d5e6f}). */
  public static String shortId(String id) {
    return id == null ? null : id.substring(0, Math.min(id.length(), "bundle:".length() + 12));
  }

  /** Every part, one per item, as {@code name version (digest)}, in the bundle's order. */
  public static List<String> describe(Map<String, BundlePart> bundle) {
    List<String> out = new ArrayList<>();
    if (bundle != null) {
      bundle.forEach((name, part) -> out.add(name + " " + (part == null ? "?" : part.label())));
    }
    return out;
  }

  /**
   * What changed from {@code before} to {@code after}, one part per item: {@code systemPrompt support@3 → support@4},
   * {@code tools added v1}, {@code guardrails removed}; a part whose version stayed but whose content did not says so.
   * Empty when the two are the same.
   */
  public static List<String> diff(Map<String, BundlePart> before, Map<String, BundlePart> after) {
    Map<String, BundlePart> a = before == null ? Map.of() : before;
    Map<String, BundlePart> b = after == null ? Map.of() : after;
    TreeSet<String> names = new TreeSet<>(a.keySet());
    names.addAll(b.keySet());
    List<String> out = new ArrayList<>();
    for (String name : names) {
      BundlePart was = a.get(name);
      BundlePart now = b.get(name);
      if (was == null) {
        out.add(name + " added " + now.label());
      } else if (now == null) {
        out.add(name + " removed (was " + was.label() + ")");
      } else if (!id(Map.of(name, was)).equals(id(Map.of(name, now)))) {
        out.add(name + " " + was.label() + " → " + now.label()
            + (String.valueOf(was.version()).equals(now.version()) ? ", same version, other content" : ""));
      }
    }
    return out;
  }

  /** The stage from which a rollback does harm, and why; or null when it never does. */
  public record PointOfNoReturn(String stage, int stageIndex, String reason) {}

  /**
   * The earliest stage from which rolling back would do harm: {@code rollback.unsafeAfter}, or a bundle part marked
   * {@code irreversible}, whichever comes first in the stages (their reasons joined when they share it).
   */
  public static PointOfNoReturn pointOfNoReturn(ReleasePolicy p) {
    List<String> stages = p.stages() == null ? List.of() : p.stages().stream().map(StageSpec::name).toList();
    PointOfNoReturn best = null;
    RollbackSpec.UnsafeAfter u = p.rollback() == null ? null : p.rollback().unsafeAfter();
    if (u != null && u.stage() != null) {
      best = earlier(best, stages, u.stage(), u.reason());
    }
    if (p.release() != null && p.release().bundle() != null) {
      for (var e : p.release().bundle().entrySet()) {
        BundlePart.Irreversible i = e.getValue() == null ? null : e.getValue().irreversible();
        if (i != null && i.stage() != null) {
          best = earlier(best, stages, i.stage(), e.getKey() + " is irreversible: " + i.reason());
        }
      }
    }
    return best;
  }

  private static PointOfNoReturn earlier(PointOfNoReturn best, List<String> stages, String stage, String reason) {
    int at = stages.indexOf(stage);
    if (at < 0) {
      return best;
    }
    if (best == null || at < best.stageIndex()) {
      return new PointOfNoReturn(stage, at, reason);
    }
    return at == best.stageIndex() ? new PointOfNoReturn(stage, at, best.reason() + "; " + reason) : best;
  }
}
