package dev.ripcord.activities.evidence.view;

import dev.ripcord.activities.evidence.view.ReleaseEvidence.Event;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Point;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.Series;
import dev.ripcord.activities.evidence.view.ReleaseEvidence.WeightPoint;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Rectangle;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.DateAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.renderer.xy.XYStepRenderer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;
import org.jfree.svg.SVGGraphics2D;

/**
 * The release page's charts, drawn by JFreeChart into SVG (JFreeSVG): a criterion's statistic against its threshold,
 * the arms' estimates with their intervals, and the candidate's weight with what happened. All share one time axis
 * (window times; window numbers where a window has no time).
 */
final class EvidenceCharts {
  static final int WIDTH = 900;
  static final int HEIGHT = 260;
  private static final Color CANDIDATE = new Color(0xC2, 0x41, 0x0C);
  private static final Color BASELINE = new Color(0x25, 0x63, 0xEB);
  private static final Color THRESHOLD = new Color(0x6B, 0x72, 0x80);
  private static final Color FIRED = new Color(0xDC, 0x26, 0x26);
  private static final Font SMALL = new Font("SansSerif", Font.PLAIN, 10);

  private EvidenceCharts() {}

  /** The shared axis: where it starts and ends, and whether it is time (epoch milliseconds) or window numbers. */
  record Axis(boolean byTime, double from, double to) {
    ValueAxis draw() {
      ValueAxis a = EvidenceCharts.axis(byTime);
      if (to > from) {
        a.setRange(from, to);
      }
      return a;
    }
  }

  /** Where a window sits on the shared axis: its time in epoch milliseconds, or its number. */
  static double x(String t, int window, boolean byTime) {
    return byTime ? Instant.parse(t).toEpochMilli() : window;
  }

  /**
   * Whether the axis is time: every window has a time, each later than the one before (windows pushed in one burst,
   * as tests and backfills send them, are drawn by number instead).
   */
  static boolean byTime(List<ReleaseEvidence.Window> windows) {
    Instant last = null;
    for (ReleaseEvidence.Window w : windows) {
      try {
        if (w.t() == null) {
          return false;
        }
        Instant t = Instant.parse(w.t());
        if (last != null && !t.isAfter(last)) {
          return false;
        }
        last = t;
      } catch (DateTimeParseException e) {
        return false;
      }
    }
    return !windows.isEmpty();
  }

  /** A leaf's statistic and threshold, with the windows it was pending, inconclusive and fired in marked. */
  static String statistic(Series leaf, Axis axis, Integer firedWindow, double step) {
    boolean byTime = axis.byTime();
    XYSeries value = new XYSeries(leaf.statistic() + " (" + leaf.signal() + ")");
    XYSeries threshold = new XYSeries("threshold (breach when " + leaf.op() + ")");
    for (Point p : leaf.points()) {
      double x = x(p.t(), p.window(), byTime);
      if (p.value() != null) {
        value.add(x, p.value());
      }
      if (p.threshold() != null) {
        threshold.add(x, p.threshold());
      }
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(value);
    data.addSeries(threshold);
    XYLineAndShapeRenderer lines = new XYLineAndShapeRenderer(true, true);
    lines.setSeriesPaint(0, CANDIDATE);
    lines.setSeriesPaint(1, THRESHOLD);
    lines.setSeriesShapesVisible(1, false);
    lines.setSeriesStroke(1, new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f,
        new float[] {6f, 4f}, 0f));
    XYPlot plot = new XYPlot(data, axis.draw(), new NumberAxis(leaf.statistic()), lines);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    for (Point p : leaf.points()) {
      double x = x(p.t(), p.window(), byTime);
      Color shade = switch (p.status()) {
        case "PENDING" -> new Color(0xF5, 0x9E, 0x0B, 0x40);
        case "INCONCLUSIVE" -> new Color(0x9C, 0xA3, 0xAF, 0x50);
        case "FIRED" -> new Color(0xDC, 0x26, 0x26, 0x30);
        default -> null;
      };
      if (shade != null) {
        plot.addDomainMarker(new IntervalMarker(x - step / 2, x + step / 2, shade));
      }
      if (firedWindow != null && p.window() == firedWindow) {
        ValueMarker fired = new ValueMarker(x, FIRED, new BasicStroke(2f));
        fired.setLabel("fired (window " + firedWindow + ")");
        fired.setLabelFont(SMALL);
        fired.setLabelPaint(FIRED);
        fired.setLabelAnchor(RectangleAnchor.TOP_LEFT);
        fired.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
        plot.addDomainMarker(fired);
      }
    }
    return svg(new JFreeChart(null, SMALL, plot, true));
  }

  /** Each arm's estimate under a leaf, with its 95 % interval as a band where the window's counts give one. */
  static String arms(Series leaf, Axis axis) {
    boolean byTime = axis.byTime();
    YIntervalSeries cand = new YIntervalSeries("candidate");
    YIntervalSeries base = new YIntervalSeries("baseline");
    for (Point p : leaf.points()) {
      double x = x(p.t(), p.window(), byTime);
      if (p.candidate() != null) {
        cand.add(x, p.candidate(), or(p.candidateLow(), p.candidate()), or(p.candidateHigh(), p.candidate()));
      }
      if (p.baseline() != null) {
        base.add(x, p.baseline(), or(p.baselineLow(), p.baseline()), or(p.baselineHigh(), p.baseline()));
      }
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(cand);
    if (base.getItemCount() > 0) {
      data.addSeries(base);
    }
    DeviationRenderer bands = new DeviationRenderer(true, true);
    bands.setSeriesPaint(0, CANDIDATE);
    bands.setSeriesFillPaint(0, CANDIDATE);
    bands.setSeriesPaint(1, BASELINE);
    bands.setSeriesFillPaint(1, BASELINE);
    bands.setAlpha(0.18f);
    XYPlot plot = new XYPlot(data, axis.draw(), new NumberAxis(leaf.signal()), bands);
    ((NumberAxis) plot.getRangeAxis()).setAutoRangeIncludesZero(false);
    return svg(new JFreeChart(null, SMALL, plot, true));
  }

  /** The candidate's weight as planned and as the router confirmed it, with what happened marked above it. */
  static String weights(List<ReleaseEvidence.Window> windows, List<WeightPoint> weights, List<Event> events,
      Axis axis, List<String> kinds) {
    boolean byTime = axis.byTime();
    XYSeries planned = new XYSeries("planned weight (stage)");
    XYSeries router = new XYSeries("confirmed by the router");
    if (byTime) {
      for (WeightPoint w : weights) {
        ("router".equals(w.source()) ? router : planned).add(Instant.parse(w.t()).toEpochMilli(), w.weight());
      }
    } else {
      // Over window numbers only the stages' weights can be placed; the router's moves and events carry times.
      windows.stream().filter(w -> w.plannedWeight() != null).forEach(w -> planned.add(w.window(), w.plannedWeight()));
    }
    XYSeriesCollection data = new XYSeriesCollection();
    data.addSeries(planned);
    data.addSeries(router);
    XYStepRenderer steps = new XYStepRenderer();
    steps.setSeriesPaint(0, THRESHOLD);
    steps.setSeriesPaint(1, CANDIDATE);
    steps.setSeriesStroke(1, new BasicStroke(2f));
    NumberAxis percent = new NumberAxis("candidate weight (%)");
    percent.setRange(0, 105);
    XYPlot plot = new XYPlot(data, axis.draw(), percent, steps);
    for (Event e : events) {
      if (!byTime || e.t() == null || !kinds.contains(e.kind())) {
        continue;
      }
      ValueMarker m = new ValueMarker(Instant.parse(e.t()).toEpochMilli(), kindColour(e.kind()), new BasicStroke(1f));
      m.setLabel(e.kind());
      m.setLabelFont(SMALL);
      m.setLabelAnchor(RectangleAnchor.TOP_LEFT);
      m.setLabelTextAnchor(TextAnchor.TOP_RIGHT);
      plot.addDomainMarker(m);
    }
    return svg(new JFreeChart(null, SMALL, plot, true));
  }

  private static Color kindColour(String kind) {
    return switch (kind) {
      case "TRIGGER", "BREAK_GLASS" -> FIRED;
      case "APPROVAL", "REFUSED" -> new Color(0x7C, 0x3A, 0xED);
      case "SAMPLE_RATIO", "JUDGE" -> new Color(0xD9, 0x77, 0x06);
      default -> THRESHOLD;
    };
  }

  private static double or(Double x, double otherwise) {
    return x == null ? otherwise : x;
  }

  private static ValueAxis axis(boolean byTime) {
    if (byTime) {
      DateAxis time = new DateAxis("time (UTC)");
      time.setTimeZone(java.util.TimeZone.getTimeZone("UTC"));
      return time;
    }
    NumberAxis windows = new NumberAxis("window");
    windows.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    return windows;
  }

  private static String svg(JFreeChart chart) {
    chart.setBackgroundPaint(Color.WHITE);
    chart.getPlot().setBackgroundPaint(new Color(0xFA, 0xFA, 0xFA));
    SVGGraphics2D g = new SVGGraphics2D(WIDTH, HEIGHT);
    chart.draw(g, new Rectangle(0, 0, WIDTH, HEIGHT));
    return g.getSVGElement();
  }
}
