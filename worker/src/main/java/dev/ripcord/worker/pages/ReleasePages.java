package dev.ripcord.worker.pages;

import dev.ripcord.activities.evidence.view.EvidencePage;
import dev.ripcord.activities.evidence.view.ReleaseEvidence;
import dev.ripcord.activities.evidence.view.ReleaseList;
import dev.ripcord.worker.RipcordProperties;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import java.util.regex.Pattern;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseCookie;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.CookieValue;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The release pages, read-only: {@code GET /releases} (the fleet, {@link ReleaseList}), {@code GET /releases/{id}}
 * (one release's evidence as a page, {@link EvidencePage}) and {@code GET /releases/{id}/evidence.json} (the same
 * numbers as JSON). Access: the pages token ({@code ripcord.pages.token}) as a bearer header, or as the
 * {@code ripcord_pages} cookie a browser gets once from {@code ?token=…} (HttpOnly, SameSite=Strict, then redirected
 * to the address without it); without a token configured every request is refused unless
 * {@code ripcord.pages.allow-unauthenticated} says the network already restricts who reaches the worker.
 */
@RestController
public class ReleasePages {
  static final String COOKIE = "ripcord_pages";
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9._:@-]{1,400}");
  private final WorkflowClient client;
  private final RipcordProperties.Pages config;
  private final ReleaseEvidenceCache cache;
  private final ReleaseList list;

  public ReleasePages(WorkflowClient client, RipcordProperties props) {
    this.client = client;
    this.config = props.pages();
    this.cache = new ReleaseEvidenceCache(client, config.cachedRuns());
    this.list = new ReleaseList(client);
  }

  @GetMapping(path = "/releases", produces = MediaType.TEXT_HTML_VALUE)
  public ResponseEntity<String> releases(@RequestParam(name = "model", required = false) String model,
      @RequestParam(name = "state", required = false) String state,
      @RequestParam(name = "token", required = false) String token,
      @RequestHeader(name = "Authorization", required = false) String authorization,
      @CookieValue(name = COOKIE, required = false) String cookie) {
    ResponseEntity<String> refused = access("/releases" + query(model, state), token, authorization, cookie);
    if (refused != null) {
      return refused;
    }
    try {
      return html(HttpStatus.OK, list.html(model, state));
    } catch (IllegalArgumentException e) {
      return html(HttpStatus.BAD_REQUEST, message("Not a filter", e.getMessage()));
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED && e.getStatus().getCode() != Status.Code.INTERNAL) {
        throw e;
      }
      // Temporal's Java test server (the embedded default) keeps no visibility to list from.
      return html(HttpStatus.SERVICE_UNAVAILABLE, message("This Temporal server cannot list releases",
          "it has no visibility store (" + e.getStatus().getCode() + "): run the worker against the Temporal CLI's"
          + " dev server or a server on PostgreSQL; each release's page is still at /releases/<id>"));
    }
  }

  @GetMapping(path = "/releases/{id}", produces = MediaType.TEXT_HTML_VALUE)
  public ResponseEntity<String> release(@PathVariable("id") String id,
      @RequestParam(name = "token", required = false) String token,
      @RequestHeader(name = "Authorization", required = false) String authorization,
      @CookieValue(name = COOKIE, required = false) String cookie) {
    ResponseEntity<String> refused = access("/releases/" + id, token, authorization, cookie);
    if (refused != null) {
      return refused;
    }
    try {
      return html(HttpStatus.OK, EvidencePage.html(evidence(id), "/releases"));
    } catch (NotFound e) {
      return html(HttpStatus.NOT_FOUND, message("No such release", e.getMessage()));
    }
  }

  @GetMapping(path = "/releases/{id}/evidence.json", produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<Object> evidenceJson(@PathVariable("id") String id,
      @RequestHeader(name = "Authorization", required = false) String authorization,
      @CookieValue(name = COOKIE, required = false) String cookie) {
    if (!allowed(authorization, cookie)) {
      return ResponseEntity.status(config.hasToken() || config.allowUnauthenticated() ? HttpStatus.UNAUTHORIZED
          : HttpStatus.FORBIDDEN).body(java.util.Map.of("error", refusal()));
    }
    try {
      return ResponseEntity.ok(evidence(id));
    } catch (NotFound e) {
      return ResponseEntity.status(HttpStatus.NOT_FOUND).body(java.util.Map.of("error", e.getMessage()));
    }
  }

  private ReleaseEvidence evidence(String id) {
    if (!ID.matcher(id).matches()) {
      throw new NotFound("'" + id + "' is not a release id (release-<model>-<candidate>)");
    }
    try {
      return cache.of(id);
    } catch (WorkflowNotFoundException e) {
      throw new NotFound("no release " + id + " in this namespace (or past its retention: review its evidence"
          + " bundle with ripcord review --output html)");
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.NOT_FOUND) {
        throw new NotFound("no release " + id + " in this namespace");
      }
      throw e;
    } catch (IllegalArgumentException e) {
      throw new NotFound(id + " is not a release: " + e.getMessage());
    }
  }

  /** Null when the request may read the pages; otherwise the answer to give. */
  private ResponseEntity<String> access(String path, String token, String authorization, String cookie) {
    if (token != null && config.acceptsToken(token)) {
      // Once: the browser keeps the token in a cookie only this worker's pages see; the address loses it.
      ResponseCookie c = ResponseCookie.from(COOKIE, token).httpOnly(true).sameSite("Strict").path("/releases")
          .build();
      return ResponseEntity.status(HttpStatus.SEE_OTHER).header(HttpHeaders.SET_COOKIE, c.toString())
          .header(HttpHeaders.LOCATION, path).build();
    }
    if (allowed(authorization, cookie)) {
      return null;
    }
    return html(config.hasToken() || config.allowUnauthenticated() ? HttpStatus.UNAUTHORIZED : HttpStatus.FORBIDDEN,
        message("Sign in to see releases", refusal()));
  }

  private boolean allowed(String authorization, String cookie) {
    if (!config.hasToken()) {
      return config.allowUnauthenticated();
    }
    return config.acceptsBearer(authorization) || config.acceptsToken(cookie);
  }

  private String refusal() {
    return config.hasToken() ? "open this address once with ?token=<ripcord.pages.token> (the browser keeps it in a"
        + " cookie), or send Authorization: Bearer <token>"
        : "the worker shows no release until it has ripcord.pages.token (RIPCORD_PAGES_TOKEN), or"
        + " ripcord.pages.allow-unauthenticated=true where only trusted people reach it";
  }

  private static String query(String model, String state) {
    StringBuilder q = new StringBuilder();
    if (model != null) {
      q.append("model=").append(java.net.URLEncoder.encode(model, java.nio.charset.StandardCharsets.UTF_8));
    }
    if (state != null) {
      q.append(q.isEmpty() ? "" : "&").append("state=")
          .append(java.net.URLEncoder.encode(state, java.nio.charset.StandardCharsets.UTF_8));
    }
    return q.isEmpty() ? "" : "?" + q;
  }

  private static ResponseEntity<String> html(HttpStatus status, String body) {
    return ResponseEntity.status(status).contentType(new MediaType("text", "html",
        java.nio.charset.StandardCharsets.UTF_8)).header("Content-Security-Policy", "default-src 'none';"
        + " style-src 'unsafe-inline'; img-src 'self' data:").body(body);
  }

  static String message(String title, String text) {
    return "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>" + EvidencePage.escape(title)
        + "</title></head><body><h1>" + EvidencePage.escape(title) + "</h1><p>" + EvidencePage.escape(text)
        + "</p></body></html>\n";
  }

  private static final class NotFound extends RuntimeException {
    NotFound(String message) {
      super(message);
    }
  }
}
