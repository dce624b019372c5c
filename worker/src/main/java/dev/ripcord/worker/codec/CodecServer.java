package dev.ripcord.worker.codec;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.util.JsonFormat;
import dev.ripcord.worker.RipcordProperties;
import io.temporal.api.common.v1.Payloads;
import io.temporal.common.converter.DataConverter;
import io.temporal.payload.codec.PayloadCodec;
import java.util.List;
import java.util.function.BiFunction;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The codec server the Temporal UI (and {@code temporal --codec-endpoint}) calls to show encrypted payloads:
 * {@code POST /codec/decode} and {@code POST /codec/encode}, each taking and returning {@code {"payloads": [...]}} in
 * Temporal's JSON form of payloads. Only for the worker's own namespace ({@code X-Namespace}, when sent), and only to a
 * caller {@link CodecAccess} admits. Without codec keys there is nothing to decode: 404.
 */
@RestController
public class CodecServer {
  private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CodecServer.class);
  private final PayloadCodec codec;
  private final CodecAccess access;
  private final String namespace;

  @org.springframework.beans.factory.annotation.Autowired
  public CodecServer(DataConverter converter, RipcordProperties props,
      @Value("${spring.temporal.namespace:default}") String namespace) {
    this(converter, props, namespace, new CodecAccess(props.codec()));
  }

  CodecServer(DataConverter converter, RipcordProperties props, String namespace, CodecAccess access) {
    this.codec = props.codec().encrypts() && converter instanceof PayloadCodec c ? c : null;
    this.access = access;
    this.namespace = namespace;
  }

  @PostMapping(path = "/codec/decode", consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> decode(@RequestBody String body,
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestHeader(name = "X-Namespace", required = false) String ns) {
    return apply(body, authorization, ns, (c, p) -> c.decode(p));
  }

  @PostMapping(path = "/codec/encode", consumes = MediaType.APPLICATION_JSON_VALUE,
      produces = MediaType.APPLICATION_JSON_VALUE)
  public ResponseEntity<String> encode(@RequestBody String body,
      @RequestHeader(name = HttpHeaders.AUTHORIZATION, required = false) String authorization,
      @RequestHeader(name = "X-Namespace", required = false) String ns) {
    return apply(body, authorization, ns, (c, p) -> c.encode(p));
  }

  private ResponseEntity<String> apply(String body, String authorization, String ns,
      BiFunction<PayloadCodec, List<io.temporal.api.common.v1.Payload>, List<io.temporal.api.common.v1.Payload>> f) {
    if (codec == null) {
      return error(HttpStatus.NOT_FOUND, "this worker encrypts nothing (no ripcord.codec.keys): nothing to decode");
    }
    String refused = access.refusal(authorization);
    if (refused != null) {
      log.warn("codec request refused (401): {}", refused);
      return ResponseEntity.status(HttpStatus.UNAUTHORIZED).header(HttpHeaders.WWW_AUTHENTICATE, "Bearer")
          .contentType(MediaType.APPLICATION_JSON).body(json(refused));
    }
    if (ns != null && !ns.isBlank() && !ns.equals(namespace)) {
      return error(HttpStatus.FORBIDDEN, "this codec serves namespace '" + namespace + "', not '" + ns + "'");
    }
    Payloads.Builder in = Payloads.newBuilder();
    try {
      JsonFormat.parser().ignoringUnknownFields().merge(body, in);
    } catch (InvalidProtocolBufferException e) {
      return error(HttpStatus.BAD_REQUEST, "body is not {\"payloads\": [...]} in Temporal's JSON form: "
          + e.getMessage());
    }
    try {
      Payloads out = Payloads.newBuilder().addAllPayloads(f.apply(codec, in.getPayloadsList())).build();
      return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body(JsonFormat.printer().print(out));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(e);
    }
  }

  private static ResponseEntity<String> error(HttpStatus status, String why) {
    log.warn("codec request refused ({}): {}", status.value(), why);
    return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(json(why));
  }

  private static String json(String why) {
    return "{\"error\":" + com.fasterxml.jackson.databind.node.TextNode.valueOf(why) + "}";
  }
}
