package dev.ripcord.workflows.release;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;

/**
 * The size of a continue-as-new input as JSON, measured before it is written so that a run never hands Temporal a
 * payload it refuses (a refused continue-as-new fails every workflow task after it, and the release can no longer be
 * rolled back). Pure: no {@code Workflow.*} call.
 */
final class CarrySize {
  private static final ObjectMapper JSON = JsonMapper.builder().build();

  private CarrySize() {}

  static int of(ReleaseInput input) {
    try {
      return JSON.writeValueAsBytes(input).length;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot measure the continue-as-new input", e);
    }
  }
}
