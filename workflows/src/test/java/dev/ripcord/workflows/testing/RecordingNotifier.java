package dev.ripcord.workflows.testing;

import dev.ripcord.workflows.activity.NotifierActivities;
import java.util.ArrayList;
import java.util.List;

/** Keeps every notification so a test can assert who was told what. */
public final class RecordingNotifier implements NotifierActivities {
  private final List<Notification> sent = new ArrayList<>();

  @Override
  public synchronized NotificationReceipt notify(Notification n) {
    sent.add(n);
    return new NotificationReceipt(true, "#test", n.fallback());
  }

  public synchronized List<String> events() {
    return sent.stream().map(Notification::event).toList();
  }

  public synchronized List<Notification> sent() {
    return List.copyOf(sent);
  }
}
