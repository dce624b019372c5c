package dev.ripcord.workflows.decision.stats;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A window's distribution as Prometheus's {@code _bucket} series give it: cumulative counts keyed by each bucket's
 * upper bound ({@code "250": 180, "500": 190, "+Inf": 200}). Quantiles and counts beyond a point are interpolated
 * linearly within a bucket, as Prometheus's {@code histogram_quantile} does (the lowest bucket from 0). Pure.
 */
public final class Histogram {
  private final double[] bounds;
  private final long[] cumulative;

  private Histogram(double[] bounds, long[] cumulative) {
    this.bounds = bounds;
    this.cumulative = cumulative;
  }

  /**
   * The histogram of {@code buckets}, or the problem with them: bounds are numbers or {@code +Inf}, {@code +Inf} is
   * present (it is the total), counts are whole, at least 0 and do not fall as the bound grows.
   */
  public static Object read(Map<String, Long> buckets) {
    if (buckets == null || buckets.isEmpty()) {
      return "needs bucket counts, e.g. {\"250\": 180, \"500\": 190, \"+Inf\": 200}";
    }
    List<double[]> rows = new ArrayList<>();
    for (Map.Entry<String, Long> e : buckets.entrySet()) {
      double bound;
      try {
        bound = "+Inf".equals(e.getKey()) ? Double.POSITIVE_INFINITY : Double.parseDouble(e.getKey());
      } catch (NumberFormatException x) {
        return "bucket '" + cap(e.getKey()) + "' is not an upper bound: write a number (e.g. \"250\") or \"+Inf\"";
      }
      if (Double.isNaN(bound) || bound < 0 || (Double.isInfinite(bound) && !"+Inf".equals(e.getKey()))) {
        return "bucket '" + cap(e.getKey()) + "' must be a number of 0 or more, or \"+Inf\"";
      }
      if (e.getValue() == null || e.getValue() < 0) {
        return "bucket '" + cap(e.getKey()) + "' needs a whole count of 0 or more";
      }
      rows.add(new double[] {bound, e.getValue()});
    }
    rows.sort((a, b) -> Double.compare(a[0], b[0]));
    if (!Double.isInfinite(rows.get(rows.size() - 1)[0])) {
      return "needs the \"+Inf\" bucket: it holds every request of the window";
    }
    double[] bounds = new double[rows.size()];
    long[] cumulative = new long[rows.size()];
    for (int i = 0; i < rows.size(); i++) {
      bounds[i] = rows.get(i)[0];
      cumulative[i] = (long) rows.get(i)[1];
      if (i > 0 && bounds[i] == bounds[i - 1]) {
        return "bucket " + bounds[i] + " is given twice";
      }
      if (i > 0 && cumulative[i] < cumulative[i - 1]) {
        return "counts are cumulative, so they cannot fall: " + cumulative[i - 1] + " up to " + bounds[i - 1]
            + " but " + cumulative[i] + " up to " + (Double.isInfinite(bounds[i]) ? "+Inf" : bounds[i]);
      }
    }
    return new Histogram(bounds, cumulative);
  }

  /** The buckets' upper bounds, rising; the last is {@code +Inf}. */
  public double[] bounds() {
    return bounds.clone();
  }

  /** The requests up to the {@code i}-th bound. */
  public long upTo(int i) {
    return cumulative[i];
  }

  /** Every request of the window. */
  public long total() {
    return cumulative[cumulative.length - 1];
  }

  /**
   * The {@code q} quantile, interpolated within its bucket; the highest finite bound when it falls in {@code +Inf}
   * (as Prometheus does), NaN for an empty window.
   */
  public double quantile(double q) {
    long n = total();
    if (n == 0) {
      return Double.NaN;
    }
    double rank = q * n;
    for (int i = 0; i < bounds.length; i++) {
      if (cumulative[i] >= rank) {
        if (Double.isInfinite(bounds[i])) {
          return i == 0 ? 0 : bounds[i - 1];
        }
        double lo = i == 0 ? 0 : bounds[i - 1];
        long below = i == 0 ? 0 : cumulative[i - 1];
        long in = cumulative[i] - below;
        return in == 0 ? bounds[i] : lo + (bounds[i] - lo) * (rank - below) / in;
      }
    }
    return bounds[bounds.length - 2];
  }

  /**
   * How many requests lay beyond {@code x}, interpolated within its bucket (a point in {@code +Inf} counts only
   * that bucket's requests, all of them beyond every finite bound).
   */
  public double countAbove(double x) {
    long n = total();
    for (int i = 0; i < bounds.length; i++) {
      if (x < bounds[i]) {
        double lo = i == 0 ? 0 : bounds[i - 1];
        long below = i == 0 ? 0 : cumulative[i - 1];
        long in = cumulative[i] - below;
        if (Double.isInfinite(bounds[i])) {
          return in;
        }
        double share = x <= lo ? 0 : (x - lo) / (bounds[i] - lo);
        return n - below - in * share;
      }
    }
    return 0;
  }

  private static String cap(String s) {
    return s.length() <= 40 ? s : s.substring(0, 37) + "...";
  }
}
