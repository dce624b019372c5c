package dev.ripcord.activities.evidence.view;

import dev.ripcord.activities.evidence.view.ReleaseEvidence.Criterion;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Event;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Header;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Point;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Series;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Window;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The release page as one self-contained HTML document: the header, the stages and weight with what happened, and
 * for each criterion its statistic against its threshold over time with the arms beneath, each chart followed by a
 * plain table of the same numbers (exact values in {@code data-} attributes). No script and no link outside the page:
 * the worker serves it, {@code ripcord review --output html} writes it, and every evidence bundle holds it as
 * {@code index.html}.
 */
public final class EvidencePage {
  /** The audit kinds marked on the weight chart (the rest are in the table only). */
  static final List<String> MARKED = List.of("TRIGGER", "APPROVAL", "REFUSED", "NOTIFY", "SAMPLE_RATIO", "JUDGE",
      "BREAK_GLASS", "EVIDENCE", "PLAYBOOK");
  private static final String STYLE = """
      body{font:14px/1.45 system-ui,sans-serif;margin:24px auto;max-width:960px;color:#111827}
      h1{font-size:20px;margin:0 0 8px}h2{font-size:17px;margin:28px 0 6px}h3{font-size:14px;margin:16px 0 4px}
      dl.header{display:grid;grid-template-columns:max-content 1fr;gap:2px 14px;margin:0}
      dt{color:#6b7280}dd{margin:0}table{border-collapse:collapse;width:100%;font-size:12px;margin:6px 0 14px}
      th,td{border:1px solid #e5e7eb;padding:3px 6px;text-align:left;vertical-align:top}th{background:#f3f4f6}
      td.n{text-align:right;font-variant-numeric:tabular-nums}tr.FIRED td{background:#fee2e2}
      tr.PENDING td{background:#fef3c7}tr.INCONCLUSIVE td{color:#6b7280}.state{font-weight:600}
      figure{margin:8px 0}figure svg{max-width:100%;height:auto}details{margin:6px 0}
      """;

  private EvidencePage() {}

  /** The page of {@code e}; {@code links} says where the release list is, or null for a file read on its own. */
  public static String html(ReleaseEvidence e, String listLink) {
    Header h = e.header();
    StringBuilder b = new StringBuilder(64 * 1024);
    String title = h.releaseId() == null ? h.model() + " " + h.candidate() : h.releaseId();
    b.append("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>")
        .append(escape(title)).append(" — Ripcord release</title><style>").append(STYLE)
        .append("</style></head>\n<body")
        .append(attr("data-release", h.releaseId())).append(attr("data-state", h.state())).append(">\n");
    if (listLink != null) {
      b.append("<p><a href=\"").append(escape(listLink)).append("\">All releases</a></p>\n");
    }
    b.append("<h1>").append(escape(title)).append("</h1>\n<dl class=\"header\">");
    item(b, "model", h.model());
    item(b, "candidate", h.candidate());
    item(b, "baseline", h.baseline());
    item(b, "bundle", h.bundle());
    item(b, "released by", h.releasedBy());
    item(b, "state", h.state());
    item(b, "stage", h.stage());
    item(b, "candidate weight", h.weight() == null ? null : h.weight() + " % (confirmed by the router)");
    item(b, "policy hash", h.policyHash());
    item(b, "arithmetic", h.arithmetic());
    item(b, "runs", String.valueOf(h.runs()));
    item(b, "started", h.started());
    item(b, "worker build", h.builds() == null || h.builds().isEmpty() ? null : String.join(", ", h.builds()));
    b.append("</dl>\n");
    boolean byTime = EvidenceCharts.byTime(e.windows());
    double step = step(e.windows(), byTime);
    EvidenceCharts.Axis axis = axis(e, byTime, step);
    b.append("<section id=\"timeline\"><h2>Stages, weight and what happened</h2>\n<figure>")
        .append(EvidenceCharts.weights(e.windows(), e.weights(), e.events(), axis, MARKED)).append("</figure>\n");
    b.append("<table class=\"weights\"><thead><tr><th>time</th><th>candidate weight</th><th>source</th></tr></thead>"
        + "<tbody>");
    e.weights().forEach(w -> b.append("<tr").append(attr("data-weight", String.valueOf(w.weight())))
        .append(attr("data-source", w.source())).append("><td>").append(escape(w.t())).append("</td><td class=\"n\">")
        .append(w.weight()).append(" %</td><td>").append(escape(w.source())).append("</td></tr>"));
    b.append("</tbody></table></section>\n");
    for (Criterion c : e.criteria()) {
      criterion(b, c, axis, step);
    }
    b.append("<section id=\"events\"><h2>What happened</h2>\n<table><thead><tr><th>time</th><th>kind</th><th>who</th>"
        + "<th>what</th></tr></thead><tbody>");
    for (Event ev : e.events()) {
      b.append("<tr").append(attr("data-kind", ev.kind())).append("><td>").append(escape(ev.t())).append("</td><td>")
          .append(escape(ev.kind())).append("</td><td>").append(escape(ev.actor())).append("</td><td>")
          .append(escape(ev.text())).append("</td></tr>");
    }
    b.append("</tbody></table></section>\n<section id=\"windows\"><h2>Every window</h2>\n<details><summary>")
        .append(e.windows().size()).append(" windows, each with the engine's verdict and why</summary>\n<table><thead>"
        + "<tr><th>window</th><th>run</th><th>time</th><th>stage</th><th>weight</th><th>verdict</th><th>why</th></tr>"
        + "</thead><tbody>");
    for (Window w : e.windows()) {
      b.append("<tr").append(attr("data-window", String.valueOf(w.window()))).append("><td class=\"n\">")
          .append(w.window()).append("</td><td class=\"n\">").append(w.run()).append("</td><td>").append(escape(w.t()))
          .append("</td><td>").append(escape(w.stage())).append("</td><td class=\"n\">")
          .append(w.plannedWeight() == null ? "" : w.plannedWeight() + " %").append("</td><td>")
          .append(escape(w.verdict())).append("</td><td>").append(escape(w.explanation())).append("</td></tr>");
    }
    b.append("</tbody></table></details></section>\n</body></html>\n");
    return b.toString();
  }

  private static void criterion(StringBuilder b, Criterion c, EvidenceCharts.Axis axis, double step) {
    b.append("<section class=\"criterion\"").append(attr("id", "criterion-" + c.name()))
        .append(attr("data-criterion", c.name()))
        .append(attr("data-fired-window", c.firedWindow() == null ? null : String.valueOf(c.firedWindow())))
        .append("><h2>").append(escape(c.name())).append(" <span class=\"state\">")
        .append(c.firedWindow() == null ? "did not fire" : "fired at window " + c.firedWindow() + " ("
            + escape(c.firedAt()) + ")").append("</span></h2>\n<p>action ").append(escape(c.action()))
        .append(c.severity() == null ? "" : ", severity " + escape(c.severity())).append("; windows: ")
        .append(count(c.statuses(), "OK")).append(" ok, ").append(count(c.statuses(), "PENDING"))
        .append(" pending, ").append(count(c.statuses(), "INCONCLUSIVE")).append(" inconclusive, ")
        .append(count(c.statuses(), "FIRED")).append(" fired</p>\n");
    if (c.leaves().isEmpty()) {
      b.append("<p>No window gave this criterion a number (every one was inconclusive).</p>\n");
    }
    for (Series s : c.leaves()) {
      b.append("<h3>").append(escape(s.signal())).append(": ").append(escape(s.statistic()))
          .append(" against its threshold").append(c.leaves().size() > 1 ? " (" + escape(s.path()) + ")" : "")
          .append("</h3>\n<figure class=\"statistic\">")
          .append(EvidenceCharts.statistic(s, axis, c.firedWindow(), step)).append("</figure>\n")
          .append("<figure class=\"arms\">").append(EvidenceCharts.arms(s, axis)).append("</figure>\n");
      b.append("<table class=\"evidence\"").append(attr("data-criterion", c.name())).append(attr("data-path", s.path()))
          .append("><thead><tr><th>window</th><th>time</th><th>status</th><th>").append(escape(s.statistic()))
          .append("</th><th>threshold (").append(escape(s.op())).append(")</th><th>candidate (95 %)</th>"
              + "<th>baseline (95 %)</th></tr></thead><tbody>");
      for (Point p : s.points()) {
        b.append("<tr").append(attr("class", p.status())).append(attr("data-window", String.valueOf(p.window())))
            .append(attr("data-status", p.status())).append(attr("data-value", num(p.value())))
            .append(attr("data-threshold", num(p.threshold()))).append(attr("data-candidate", num(p.candidate())))
            .append(attr("data-baseline", num(p.baseline()))).append("><td class=\"n\">").append(p.window())
            .append("</td><td>").append(escape(p.t())).append("</td><td>").append(p.status())
            .append("</td><td class=\"n\">").append(fmt(p.value())).append("</td><td class=\"n\">")
            .append(fmt(p.threshold())).append("</td><td class=\"n\">")
            .append(arm(p.candidate(), p.candidateLow(), p.candidateHigh())).append("</td><td class=\"n\">")
            .append(arm(p.baseline(), p.baselineLow(), p.baselineHigh())).append("</td></tr>");
      }
      b.append("</tbody></table>\n");
    }
    b.append("</section>\n");
  }

  private static long count(List<String> statuses, String status) {
    return statuses.stream().filter(status::equals).count();
  }

  /**
   * One axis for every chart: from the first window (or weight change, or event) to the last, half a window beyond,
   * so a statistic, the arms beneath it and the release's events line up.
   */
  private static EvidenceCharts.Axis axis(ReleaseEvidence e, boolean byTime, double step) {
    List<Double> xs = new ArrayList<>();
    for (Window w : e.windows()) {
      xs.add(EvidenceCharts.x(w.t(), w.window(), byTime));
    }
    if (byTime) {
      e.weights().forEach(w -> xs.add((double) java.time.Instant.parse(w.t()).toEpochMilli()));
      e.events().stream().filter(ev -> ev.t() != null && MARKED.contains(ev.kind()))
          .forEach(ev -> xs.add((double) java.time.Instant.parse(ev.t()).toEpochMilli()));
    }
    if (xs.isEmpty()) {
      return new EvidenceCharts.Axis(byTime, 0, 0);
    }
    double from = xs.stream().mapToDouble(x -> x).min().orElse(0) - step / 2;
    double to = xs.stream().mapToDouble(x -> x).max().orElse(0) + step / 2;
    return new EvidenceCharts.Axis(byTime, from, to);
  }

  /** The typical distance between windows on the axis: the width of a window's shading. */
  private static double step(List<Window> windows, boolean byTime) {
    List<Double> gaps = new ArrayList<>();
    for (int i = 1; i < windows.size(); i++) {
      Window a = windows.get(i - 1);
      Window w = windows.get(i);
      gaps.add(EvidenceCharts.x(w.t(), w.window(), byTime) - EvidenceCharts.x(a.t(), a.window(), byTime));
    }
    gaps.removeIf(g -> !(g > 0));
    if (gaps.isEmpty()) {
      return byTime ? 60_000 : 1;
    }
    gaps.sort(null);
    return gaps.get(gaps.size() / 2);
  }

  private static String arm(Double estimate, Double low, Double high) {
    if (estimate == null) {
      return "";
    }
    return fmt(estimate) + (low == null || high == null ? "" : " (" + fmt(low) + "–" + fmt(high) + ")");
  }

  /** Four significant digits for the eye; the exact number is in the row's data attributes. */
  static String fmt(Double x) {
    if (x == null) {
      return "";
    }
    if (x == Math.rint(x) && Math.abs(x) < 1e9) {
      return String.valueOf(x.longValue());
    }
    return String.format(Locale.ROOT, "%.4g", x);
  }

  private static String num(Double x) {
    return x == null ? null : Double.toString(x);
  }

  private static void item(StringBuilder b, String name, String value) {
    if (value != null) {
      b.append("<dt>").append(escape(name)).append("</dt><dd>").append(escape(value)).append("</dd>");
    }
  }

  private static String attr(String name, String value) {
    return value == null ? "" : " " + name + "=\"" + escape(value) + "\"";
  }

  /** Text and attribute values escaped for HTML. */
  public static String escape(String s) {
    if (s == null) {
      return "";
    }
    StringBuilder b = new StringBuilder(s.length());
    for (char ch : s.toCharArray()) {
      switch (ch) {
        case '<' -> b.append("&lt;");
        case '>' -> b.append("&gt;");
        case '&' -> b.append("&amp;");
        case '"' -> b.append("&quot;");
        case '\'' -> b.append("&#39;");
        default -> b.append(ch);
      }
    }
    return b.toString();
  }
}
