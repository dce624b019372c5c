package dev.ripcord.workflows.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** release.bundle: what the validator accepts, and the path and fix it names for what it refuses. */
class BundleChecksTest {
  private static final String DIGEST = "sha256:" + "ab".repeat(32);

  private static String policy(String bundle) throws Exception {
    String text = Files.readString(Path.of("../examples/image-generator.yaml"));
    int from = text.indexOf("  bundle:");
    int to = text.indexOf("router:");
    return text.substring(0, from) + bundle + text.substring(to);
  }

  private static List<String> problems(String bundle) throws Exception {
    InvalidPolicyException e = assertThrows(InvalidPolicyException.class,
        () -> PolicyLoader.load("p.yaml", policy(bundle)));
    return e.problems().stream().map(p -> p.toString().replaceFirst("^line \\d+, column \\d+: ", "")).toList();
  }

  @Test
  void theExampleBundleIsAcceptedAndHashedIntoThePolicy() throws Exception {
    PolicyLoader.Loaded l = PolicyLoader.load("image-generator.yaml",
        Files.readString(Path.of("../examples/image-generator.yaml")));
    ReleaseSpec r = l.policy().release();
    assertTrue(r.bundle().containsKey("weights") && r.bundle().containsKey("systemPrompt"), r.bundle().toString());
    assertEquals(r.candidate(), r.bundle().get("weights").version());
    assertTrue(r.bundleId().startsWith("bundle:"));
    assertEquals(r.bundleId(), PolicyLoader.load("again.json", PolicyLoader.toJson(l.policy())).policy().release()
        .bundleId(), "the id survives the policy's trip through the workflow's input");
  }

  @Test
  void eachWrongPartIsNamedWithItsFix() throws Exception {
    List<String> p = problems("  bundle:\n    weights: {version: sdxl-old, digest: 'md5:xyz'}\n"
        + "    sytemPrompt: {version: p1, digest: '" + DIGEST + "'}\n"
        + "    tools: {digest: '" + DIGEST + "', uri: ' '}\n"
        + "    x-lora: {version: l3, digest: '" + DIGEST + "', irreversible: {stage: hal}}\n");
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.release.bundle.weights.version: 'sdxl-old' is not the"
        + " candidate")), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.release.bundle.weights.digest: 'md5:xyz' is not a content"
        + " digest")), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.release.bundle.sytemPrompt: 'sytemPrompt' is not a bundle"
        + " part (hint: did you mean 'systemPrompt'?")), p.toString());
    assertTrue(p.contains("$.release.bundle.tools.version: is required (hint: the part's version as people name it,"
        + " e.g. support@4)"), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.release.bundle.tools.uri: is blank")), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.release.bundle.x-lora.irreversible.stage: 'hal' is not a"
        + " stage of this policy")), p.toString());
    assertTrue(p.stream().anyMatch(x -> x.startsWith("$.release.bundle.x-lora.irreversible.reason: is required")),
        p.toString());
    assertTrue(problems("  bundle:\n    systemPrompt: {version: p1, digest: '" + DIGEST + "'}\n").stream()
        .anyMatch(x -> x.startsWith("$.release.bundle.weights: is required")));
    assertTrue(problems("  baselineBundle:\n    weights: {version: sdxl-old, digest: '" + DIGEST + "'}\n").stream()
        .anyMatch(x -> x.startsWith("$.release.baselineBundle: is set without release.bundle")));
    assertTrue(problems("  bundle:\n    weights: {version: p1, digest: '" + DIGEST + "', colour: red}\n").stream()
        .anyMatch(x -> x.contains("$.release.bundle.weights.colour")), "unknown fields are named too");
  }
}
