package dev.ripcord.workflows.release.state;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.JsonAutoDetect;
import com.fasterxml.jackson.annotation.JsonSetter;
import com.fasterxml.jackson.annotation.Nulls;
import dev.ripcord.workflows.decision.Observation;
import dev.ripcord.workflows.intake.PushedAlert;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

/**
 * What arrived and the loop has not taken yet: pushed observations and firing alerts, and the alerts already acted on
 * (Alertmanager repeats a firing alert; the release acts once until it resolves). {@code Intake} puts in, the loop
 * takes out. Carried inside {@code Progress} under the names older runs wrote.
 */
@JsonAutoDetect(fieldVisibility = Visibility.ANY, getterVisibility = Visibility.NONE,
    isGetterVisibility = Visibility.NONE, setterVisibility = Visibility.NONE)
public final class Inbox {
  @JsonSetter(nulls = Nulls.SKIP) private List<Observation> pushed = new ArrayList<>();
  @JsonSetter(nulls = Nulls.SKIP) private List<PushedAlert> alerts = new ArrayList<>();
  @JsonSetter(nulls = Nulls.SKIP) private TreeSet<String> alertsActedOn = new TreeSet<>();

  public void push(Observation o) {
    pushed.add(o);
  }

  public int pushedWaiting() {
    return pushed.size();
  }

  /** Queues a firing alert unless it was acted on and has not resolved since; whether it was queued. */
  public boolean alert(PushedAlert a) {
    if (!alertsActedOn.add(a.alertname())) {
      return false;
    }
    alerts.add(a);
    return true;
  }

  /** The alert resolved: the next time it fires counts again. Whether it had been acted on. */
  public boolean resolved(String alertname) {
    return alertsActedOn.remove(alertname);
  }

  public boolean empty() {
    return pushed.isEmpty() && alerts.isEmpty();
  }

  public boolean hasAlert() {
    return !alerts.isEmpty();
  }

  public PushedAlert takeAlert() {
    return alerts.remove(0);
  }

  public boolean hasPushed() {
    return !pushed.isEmpty();
  }

  public Observation takePushed() {
    return pushed.remove(0);
  }
}
