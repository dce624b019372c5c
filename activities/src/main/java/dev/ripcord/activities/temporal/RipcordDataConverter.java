package dev.ripcord.activities.temporal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import dev.ripcord.activities.temporal.codec.AesGcmCodec;
import dev.ripcord.activities.temporal.codec.CodecKeys;
import io.temporal.common.converter.CodecDataConverter;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;
import java.util.List;
import java.util.Optional;

/**
 * The data converter the worker, the CLI and the replay tool share: Temporal's default, except that a JSON payload
 * with a field this build does not know is read, not refused. During a rolling upgrade an older worker takes
 * workflow tasks of releases a newer one has worked on, and their histories hold activity results and inputs with
 * the newer build's fields (a record that gained a component); the SDK's own mapper fails such a task over and over
 * until a newer worker happens to take it. Workflow code never sees the field it does not know, so what it decides
 * is what it decided before; a decision the newer build made from the new field is a non-determinism the older worker
 * reports as such, and Workflow.getVersion markers guard changed logic.
 */
public final class RipcordDataConverter {
  private RipcordDataConverter() {}

  /** The converter with the codec keys the environment names ({@link CodecKeys#configured()}), if any. */
  public static DataConverter create() {
    return create(CodecKeys.configured());
  }

  /**
   * With {@code keys}, every payload is encrypted ({@link AesGcmCodec}), failures' messages and stack traces too;
   * without, payloads are written as JSON. Either way, encrypted payloads whose key is held are read.
   */
  public static DataConverter create(Optional<CodecKeys> keys) {
    DataConverter json = DefaultDataConverter.newDefaultInstance().withPayloadConverterOverrides(
        new JacksonJsonPayloadConverter(JacksonJsonPayloadConverter.newDefaultObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)));
    return keys.<DataConverter>map(k -> new CodecDataConverter(json, List.of(new AesGcmCodec(k.source())), true))
        .orElse(json);
  }
}
