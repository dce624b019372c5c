package dev.ripcord.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.springframework.http.ResponseEntity;
import org.springframework.util.unit.DataSize;

/** What the Alertmanager ingress refuses before any alert reaches Temporal (so no client is needed here). */
class AlertIngressTest {
  private static final String NOTIFICATION = "{\"alerts\": []}";

  private static AlertIngress ingress(String token, boolean allowUnauthenticated, DataSize max) {
    RipcordProperties props = new RipcordProperties(new RipcordProperties.EmbeddedTemporal(7233),
        new RipcordProperties.Http(java.time.Duration.ofSeconds(5), java.time.Duration.ofSeconds(10)),
        new RipcordProperties.Ingress("ripcord_release", token, allowUnauthenticated, max),
        new RipcordProperties.Pages(null, false, 200),
        new RipcordProperties.Codec(null, java.util.List.of(), null, null, null, false),
        new RipcordProperties.Deployment("ripcord", null, null));
    return new AlertIngress(null, props, new SimpleMeterRegistry());
  }

  private static ResponseEntity<?> post(AlertIngress ingress, String body, String auth) throws Exception {
    return ingress.alertmanager(new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)), auth,
        "application/json");
  }

  @Test
  void refusesEveryRequestWithoutATokenUnlessToldOtherwise() throws Exception {
    ResponseEntity<?> r = post(ingress(null, false, DataSize.ofKilobytes(256)), NOTIFICATION, null);
    assertEquals(403, r.getStatusCode().value());
    assertTrue(r.getBody().toString().contains("ripcord.ingress.token"), r.getBody().toString());

    ResponseEntity<?> allowed = post(ingress(null, true, DataSize.ofKilobytes(256)), NOTIFICATION, null);
    assertEquals(200, allowed.getStatusCode().value(), "explicitly allowed: " + allowed.getBody());
  }

  @Test
  void refusesAWrongTokenAndTakesTheRightOne() throws Exception {
    AlertIngress ingress = ingress("s3cret", false, DataSize.ofKilobytes(256));
    assertEquals(401, post(ingress, NOTIFICATION, "Bearer wrong").getStatusCode().value());
    assertEquals(401, post(ingress, NOTIFICATION, null).getStatusCode().value());
    assertEquals(200, post(ingress, NOTIFICATION, "Bearer s3cret").getStatusCode().value());
  }

  @Test
  void takesTheSchemeInAnyCaseButTheTokenOnlyExactly() throws Exception {
    AlertIngress ingress = ingress("s3cret", false, DataSize.ofKilobytes(256));
    assertEquals(200, post(ingress, NOTIFICATION, "bearer s3cret").getStatusCode().value(), "RFC 9110: any case");
    assertEquals(200, post(ingress, NOTIFICATION, "BEARER s3cret").getStatusCode().value());
    assertEquals(401, post(ingress, NOTIFICATION, "Bearer s3cret ").getStatusCode().value(), "a trailing space");
    assertEquals(401, post(ingress, NOTIFICATION, "Bearer  s3cret").getStatusCode().value(), "two spaces");
    assertEquals(401, post(ingress, NOTIFICATION, "Bearer S3CRET").getStatusCode().value(), "the token's case");
    assertEquals(401, post(ingress, NOTIFICATION, "Basic s3cret").getStatusCode().value());
    assertEquals(401, post(ingress, NOTIFICATION, "Bearer").getStatusCode().value());
  }

  @Test
  void refusesANotificationOverTheSizeLimitBeforeReadingIt() throws Exception {
    AlertIngress ingress = ingress("s3cret", false, DataSize.ofKilobytes(1));
    String big = "{\"alerts\": [{\"labels\": {\"alertname\": \"" + "x".repeat(150_000) + "\"}}]}";
    ResponseEntity<?> r = post(ingress, big, "Bearer s3cret");
    assertEquals(413, r.getStatusCode().value());
    assertTrue(r.getBody().toString().contains("max-request-size"), r.getBody().toString());
  }

  @Test
  void refusesDuplicateKeysAndNonJson() throws Exception {
    AlertIngress ingress = ingress("s3cret", false, DataSize.ofKilobytes(256));
    ResponseEntity<?> dup = post(ingress, "{\"alerts\": [], \"alerts\": [{}]}", "Bearer s3cret");
    assertEquals(400, dup.getStatusCode().value());
    assertTrue(dup.getBody().toString().contains("Duplicate field 'alerts'"), dup.getBody().toString());
    assertEquals(400, post(ingress, "alerts=1", "Bearer s3cret").getStatusCode().value());
  }
}
