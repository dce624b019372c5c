package dev.ripcord.activities.evidence.view;

import dev.ripcord.workflows.release.ReleaseSearchAttributes;
import dev.ripcord.workflows.release.ReleaseState;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The fleet: every release in the namespace from Temporal's visibility (newest first, at most {@link #LIMIT}), with
 * its model, candidate, state, stage and age, filtered by model and state. What {@code ripcord list} prints too. The
 * page adds each running release's last verdict, asked of the release (its {@code status} query; the first
 * {@link #VERDICTS} running ones, so a large fleet costs a bounded number of queries).
 */
public final class ReleaseList {
  public static final int LIMIT = 200;
  public static final int VERDICTS = 50;
  private static final Pattern MODEL = Pattern.compile("[A-Za-z0-9._:/@-]{1,200}");
  private final WorkflowClient client;

  public ReleaseList(WorkflowClient client) {
    this.client = client;
  }

  /**
   * One release as visibility has it; state and stage are null until its first transition is written.
   *
   * @param started when the release's current run started (ISO-8601)
   */
  public record Row(String releaseId, String model, String candidate, String state, String stage, String started,
      String status) {}

  /** The visibility query for releases of {@code model} in {@code state} (either may be null); bad filters refused. */
  public static String query(String model, String state) {
    StringBuilder q = new StringBuilder("WorkflowType = 'Release'");
    if (model != null && !model.isBlank()) {
      if (!MODEL.matcher(model).matches()) {
        throw new IllegalArgumentException("model '" + model + "': letters, digits and . _ : / @ - only");
      }
      q.append(" AND ").append(ReleaseSearchAttributes.MODEL.getName()).append(" = '").append(model).append("'");
    }
    if (state != null && !state.isBlank()) {
      ReleaseState s;
      try {
        s = ReleaseState.valueOf(state.trim().toUpperCase(java.util.Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("state '" + state + "' is not one of " + List.of(ReleaseState.values()));
      }
      q.append(" AND ").append(ReleaseSearchAttributes.STATE.getName()).append(" = '").append(s.name()).append("'");
    }
    return q.toString();
  }

  /** The releases matching the filters, newest first. */
  public List<Row> rows(String model, String state) {
    List<Row> rows = new ArrayList<>();
    client.listExecutions(query(model, state)).limit(LIMIT).forEach(m -> rows.add(row(m)));
    rows.sort((a, b) -> Instant.parse(b.started()).compareTo(Instant.parse(a.started())));
    return rows;
  }

  private static Row row(WorkflowExecutionMetadata m) {
    var sa = m.getTypedSearchAttributes();
    return new Row(m.getExecution().getWorkflowId(), sa.get(ReleaseSearchAttributes.MODEL),
        sa.get(ReleaseSearchAttributes.CANDIDATE), sa.get(ReleaseSearchAttributes.STATE),
        sa.get(ReleaseSearchAttributes.STAGE), m.getStartTime().toString(), m.getStatus().name()
            .replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(java.util.Locale.ROOT));
  }

  /** The list as a page, each release linking to its own. */
  public String html(String model, String state) {
    List<Row> rows = rows(model, state);
    StringBuilder b = new StringBuilder("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        + "<title>Releases — Ripcord</title><style>body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;"
        + "max-width:1100px}table{border-collapse:collapse;width:100%}th,td{border:1px solid #e5e7eb;padding:4px 8px;"
        + "text-align:left}th{background:#f3f4f6}</style></head>\n<body><h1>Releases</h1>\n<form method=\"get\">"
        + "<label>model <input name=\"model\" value=\"" + EvidencePage.escape(model) + "\"></label> <label>state "
        + "<select name=\"state\"><option value=\"\">any</option>");
    for (ReleaseState s : ReleaseState.values()) {
      b.append("<option").append(s.name().equals(state) ? " selected" : "").append(">").append(s.name())
          .append("</option>");
    }
    b.append("</select></label> <button>Filter</button></form>\n<p>").append(rows.size())
        .append(rows.size() == LIMIT ? "+ (the newest " + LIMIT + ")" : "").append(" release")
        .append(rows.size() == 1 ? "" : "s").append("</p>\n<table id=\"releases\"><thead><tr><th>release</th>"
            + "<th>model</th><th>candidate</th><th>state</th><th>stage</th><th>age</th><th>last verdict</th>"
            + "<th>workflow</th></tr></thead><tbody>");
    int asked = 0;
    Instant now = Instant.now();
    for (Row r : rows) {
      String id = EvidencePage.escape(r.releaseId());
      b.append("<tr data-release=\"").append(id).append("\" data-state=\"").append(EvidencePage.escape(r.state()))
          .append("\"><td><a href=\"/releases/").append(java.net.URLEncoder.encode(r.releaseId(),
              java.nio.charset.StandardCharsets.UTF_8)).append("\">").append(id).append("</a></td><td>")
          .append(EvidencePage.escape(r.model())).append("</td><td>").append(EvidencePage.escape(r.candidate()))
          .append("</td><td>").append(EvidencePage.escape(r.state())).append("</td><td>")
          .append(EvidencePage.escape(r.stage())).append("</td><td>")
          .append(age(Duration.between(Instant.parse(r.started()), now)))
          .append("</td><td class=\"verdict\">").append(EvidencePage.escape("running".equals(r.status())
              && asked++ < VERDICTS ? lastVerdict(r.releaseId()) : "")).append("</td><td>").append(r.status())
          .append("</td></tr>");
    }
    return b.append("</tbody></table></body></html>\n").toString();
  }

  /** A running release's last verdict and why in short ({@code continue}, {@code rollback [criterion]}), or "?". */
  private String lastVerdict(String id) {
    try {
      var s = client.newWorkflowStub(dev.ripcord.workflows.release.ReleaseWorkflow.class, id).status();
      return s.lastVerdict() == null ? "" : s.lastVerdict().label();
    } catch (RuntimeException e) {
      return "?";
    }
  }

  /** "3d 4h", "2h 5m", "40s". */
  public static String age(Duration d) {
    if (d.toDays() > 0) {
      return d.toDays() + "d " + d.toHoursPart() + "h";
    }
    if (d.toHours() > 0) {
      return d.toHours() + "h " + d.toMinutesPart() + "m";
    }
    return d.toMinutes() > 0 ? d.toMinutes() + "m" : Math.max(0, d.getSeconds()) + "s";
  }
}
