package dev.ripcord.activities.temporal.codec;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import io.temporal.api.common.v1.Payload;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Every payload in a message (a history) as stored: what anyone who may read the namespace sees of it. */
final class PayloadText {
  private PayloadText() {}

  /** Each payload's metadata values and data, as UTF-8 text, with the field path it sits under. */
  static List<String> of(Message m) {
    List<String> out = new ArrayList<>();
    walk(m, "", out);
    return out;
  }

  private static void walk(Message m, String path, List<String> out) {
    if (m instanceof Payload p) {
      StringBuilder s = new StringBuilder(path).append(": ");
      p.getMetadataMap().forEach((k, v) -> s.append(k).append('=').append(v.toStringUtf8()).append(' '));
      out.add(s.append(p.getData().toStringUtf8()).toString());
      return;
    }
    for (Map.Entry<FieldDescriptor, Object> f : m.getAllFields().entrySet()) {
      if (f.getKey().getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
        continue;
      }
      List<?> values = f.getKey().isRepeated() ? (List<?>) f.getValue() : List.of(f.getValue());
      for (Object v : values) {
        Message child = (Message) v;
        var key = child.getDescriptorForType().getOptions().getMapEntry()
            ? child.getField(child.getDescriptorForType().findFieldByName("key")) : null;
        walk(child, path + "/" + f.getKey().getName() + (key == null ? "" : "[" + key + "]"), out);
      }
    }
  }
}
