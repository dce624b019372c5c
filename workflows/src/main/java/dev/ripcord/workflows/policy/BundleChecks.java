package dev.ripcord.workflows.policy;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/** Checks {@code release.bundle} and {@code release.baselineBundle}; reports into the one {@link Problems}; pure. */
final class BundleChecks {
  private static final Pattern DIGEST = Pattern.compile("(sha256|sha384|sha512|md5|blake3):[0-9a-f]{16,128}");
  private final Problems out;

  BundleChecks(Problems out) {
    this.out = out;
  }

  void check(ReleasePolicy p) {
    ReleaseSpec r = p.release();
    if (r == null) {
      return;
    }
    List<String> stages = p.stages() == null ? List.of()
        : p.stages().stream().filter(java.util.Objects::nonNull).map(StageSpec::name).toList();
    if (r.baselineBundle() != null && r.bundle() == null) {
      out.problem("$.release.baselineBundle", "is set without release.bundle",
          "describe the candidate's bundle under release.bundle too, or leave baselineBundle out");
    }
    parts("$.release.bundle", r.bundle(), r.candidate(), "candidate", stages);
    parts("$.release.baselineBundle", r.baselineBundle(), r.baseline(), "baseline", List.of());
  }

  private void parts(String path, Map<String, BundlePart> bundle, String version, String which, List<String> stages) {
    if (bundle == null) {
      return;
    }
    if (bundle.isEmpty()) {
      out.problem(path, "has no parts", "list at least weights: {version: " + version + ", digest: sha256:…}");
      return;
    }
    if (!bundle.containsKey("weights")) {
      out.problem(path + ".weights", "is required", "the " + which + "'s weights: {version: " + version
          + ", digest: sha256:…, uri: …}");
    }
    for (var e : bundle.entrySet()) {
      String at = path + "." + e.getKey();
      if (!Bundles.KNOWN_PARTS.contains(e.getKey()) && !PolicyValidator.CUSTOM_NAME.matcher(e.getKey()).matches()) {
        String near = Suggestions.nearest(e.getKey(), Bundles.KNOWN_PARTS);
        out.problem(at, "'" + e.getKey() + "' is not a bundle part", (near != null ? "did you mean '" + near + "'? "
            : "") + "use one of " + String.join(", ", Bundles.KNOWN_PARTS) + ", or x-<name> for a part of your own");
      }
      part(at, e.getValue(), stages, "baseline".equals(which));
    }
    BundlePart weights = bundle.get("weights");
    if (weights != null && weights.version() != null && version != null && !weights.version().equals(version)) {
      out.problem(path + ".weights.version", "'" + weights.version() + "' is not the " + which + " (" + version + ")",
          "the weights' version is the release's " + which + "; write version: " + version);
    }
  }

  private void part(String at, BundlePart part, List<String> stages, boolean baseline) {
    if (!out.required(at, part, "write {version: …, digest: sha256:…}")) {
      return;
    }
    out.required(at + ".version", part.version(), "the part's version as people name it, e.g. support@4");
    if (out.required(at + ".digest", part.digest(), "the content digest, e.g. sha256:<64 hex digits>")
        && !DIGEST.matcher(part.digest()).matches()) {
      out.problem(at + ".digest", "'" + part.digest() + "' is not a content digest",
          "write <algorithm>:<lower-case hex>, e.g. sha256:9f86d081884c7d65…");
    }
    if (part.uri() != null && part.uri().isBlank()) {
      out.problem(at + ".uri", "is blank", "where the part lives, e.g. s3://models/chat-v2/, or leave uri out");
    }
    BundlePart.Irreversible i = part.irreversible();
    if (i == null) {
      return;
    }
    if (baseline) {
      out.problem(at + ".irreversible", "is set on the baseline", "mark the candidate's part irreversible instead");
      return;
    }
    if (out.required(at + ".irreversible.stage", i.stage(), "the first stage from which reverting this part does"
        + " harm, e.g. half") && !stages.contains(i.stage())) {
      String near = Suggestions.nearest(i.stage(), stages);
      out.problem(at + ".irreversible.stage", "'" + i.stage() + "' is not a stage of this policy", near != null
          ? "did you mean '" + near + "'?" : "use one of " + stages);
    }
    if (i.reason() == null || i.reason().isBlank()) {
      out.problem(at + ".irreversible.reason", "is required", "say what a rollback would break, e.g. \"the index"
          + " migration is one way\"");
    }
  }
}
