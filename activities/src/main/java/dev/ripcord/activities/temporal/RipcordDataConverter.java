package dev.ripcord.activities.temporal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

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

  public static DataConverter create() {
    return DefaultDataConverter.newDefaultInstance().withPayloadConverterOverrides(new JacksonJsonPayloadConverter(
        JacksonJsonPayloadConverter.newDefaultObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false)));
  }
}
