package dev.ripcord.bench.detection;

import static dev.ripcord.bench.detection.Bounds.calibrate;
import static dev.ripcord.bench.detection.Bounds.clopperPearson;
import static dev.ripcord.bench.detection.Bounds.cusumReference;
import static dev.ripcord.bench.detection.Bounds.delay;
import static dev.ripcord.bench.detection.Bounds.oneSampleBound;
import static dev.ripcord.bench.detection.Bounds.summarise;
import static dev.ripcord.bench.detection.Bounds.twoSampleBound;

import dev.ripcord.workflows.decision.stats.SequentialTest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One configuration of the detection benchmark (traffic, candidate share, base rate): its horizon and bounds, the
 * detectors (Ripcord's and the industry rules calibrated to the same budget), every scenario and what each detector
 * did in it.
 */
final class Configuration {
  private final long volume;
  private final double share;
  private final double p0;
  private final int healthyRuns;
  private final int otherHealthyRuns;
  private final int detectRuns;
  private final int maxHorizon;
  private final long seed;
  private final Simulator simulator;
  private int crossCheckDisagreements;

  Configuration(long volume, double share, double p0, int healthyRuns, int otherHealthyRuns, int detectRuns,
      int maxHorizon, long seed) {
    this.volume = volume;
    this.share = share;
    this.p0 = p0;
    this.healthyRuns = healthyRuns;
    this.otherHealthyRuns = otherHealthyRuns;
    this.detectRuns = detectRuns;
    this.maxHorizon = maxHorizon;
    this.seed = seed;
    this.simulator = new Simulator(seed);
  }

  /** Four times the two-sample bound for a 1.5x shift, at least 4 hours, at most {@code maxHorizon} minutes. */
  static int horizonMinutes(long volume, double share, double p0, int maxHorizon) {
    return (int) Math.min(maxHorizon, Math.max(240, Math.ceil(4 * twoSampleBound(1.5, share, p0) / (volume * share))));
  }

  /** Runs of the engine cross-check that decided differently from the benchmark's detector. */
  int crossCheckDisagreements() {
    return crossCheckDisagreements;
  }

  private Scenario scenario(String name, String kind, long volume, double share, int horizon, int changeAt,
      Scenario.RateModel model, int runs, int spm) {
    return scenario(name, kind, volume, share, horizon, changeAt, model, runs, spm, 0);
  }

  private Scenario scenario(String name, String kind, long volume, double share, int horizon, int changeAt,
      Scenario.RateModel model, int runs, int spm, double dispersion) {
    return new Scenario(name, kind, volume, share, horizon, changeAt, model, runs, spm, dispersion, p0);
  }

  /** Runs every scenario; adds this configuration's figures to the lists the summary is made of. */
  Map<String, Object> run(List<Double> worstUpper, List<Double> eff2x, List<Double> speedups,
      List<Double> peerSpeedups) {
    double perMinute = volume * share;
    int spm = DetectionBenchmark.slicesPerMinute(volume);
    int horizonMinutes = horizonMinutes(volume, share, p0, maxHorizon);
    int horizon = horizonMinutes * spm;
    Map<String, Object> c = new LinkedHashMap<>();
    c.put("outputsPerMinute", volume);
    c.put("candidateShare", share);
    c.put("baseRate", p0);
    c.put("candidateOutputsPerMinute", perMinute);
    c.put("evaluationIntervalSeconds", 60 / spm);
    c.put("horizonMinutes", horizonMinutes);
    c.put("horizonWindows", horizon);
    Map<String, Object> bounds = new LinkedHashMap<>();
    bounds.put("oneSample2x", oneSampleBound(2, p0));
    for (double r : new double[] {1.5, 2, 5}) {
      bounds.put("twoSample" + r + "x", twoSampleBound(r, share, p0));
    }
    int mid = Math.min(horizonMinutes / 4, 120);
    bounds.put("cusumReference2x", cusumReference(2, share, p0, horizon));
    c.put("boundsInCandidateOutputs", bounds);

    List<Detector> detectors = new ArrayList<>();
    detectors.add(new RipcordDetector("ripcord", DetectionBenchmark.BUDGET, horizon, DetectionBenchmark.SUSTAIN,
        SequentialTest.Rules.CURRENT));
    detectors.add(new RipcordDetector("ripcord(no sustain rule)", DetectionBenchmark.BUDGET, horizon, 1,
        SequentialTest.Rules.CURRENT));
    detectors.add(new RipcordDetector("ripcord(V5 arithmetic)", DetectionBenchmark.BUDGET, horizon,
        DetectionBenchmark.SUSTAIN, SequentialTest.Rules.V5));
    detectors.add(new RipcordDetector("ripcord(V1 arithmetic)", DetectionBenchmark.BUDGET, horizon, DetectionBenchmark.SUSTAIN, SequentialTest.Rules.V1));
    detectors.add(new PeerCountTestDetector(share, DetectionBenchmark.BUDGET));
    List<Map<String, Object>> calibration = new ArrayList<>();
    // Threshold rules compare the candidate with a fixed rate, so they are calibrated twice: for flat traffic
    // (the healthy rate p0), and for the healthiest traffic they must tolerate here (a shared daily cycle of
    // +50 %: rate 1.5 p0). Only the second holds the false-rollback target in every healthy scenario.
    for (String basis : new String[] {"flat", "seasonal"}) {
      double pCal = basis.equals("flat") ? p0 : p0 * 1.5;
      for (long w : new long[] {1_000, 10_000}) {
        long measurements = (long) Math.floor(horizonMinutes * perMinute / w);
        for (int f = 0; f <= 3; f++) {
          if (measurements < f + 1) {
            calibration.add(Map.of("basis", basis, "window", w, "failuresToRollback", f + 1, "calibrated", false,
                "why", "only " + measurements + " measurements fit in the horizon"));
            continue;
          }
          long x = calibrate(w, measurements, f + 1, pCal);
          calibration.add(Map.of("basis", basis, "window", w, "failuresToRollback", f + 1,
              "maxEventsPerMeasurement", x, "measurementsInHorizon", measurements));
          detectors.add(new CountingRuleDetector(CountingRuleDetector.Tool.ARGO, w, x, f, basis));
          detectors.add(new CountingRuleDetector(CountingRuleDetector.Tool.FLAGGER, w, x, f + 1, basis));
        }
      }
    }
    int judgements = Math.max(1, horizonMinutes / 30);
    detectors.add(new KayentaDetector(30 * spm, DetectionBenchmark.BUDGET / judgements));
    c.put("industryCalibration", calibration);

    double spike = 2.0 / spm; // two windows: shorter than the 3-window sustain span
    List<Scenario> scenarios = List.of(
        scenario("healthy", "healthy", volume, share, horizon, -1, Scenario.flat(1), healthyRuns, spm),
        scenario("healthy, shared daily seasonality 20%", "healthy", volume, share, horizon, -1,
            Scenario.seasonal(0.2), otherHealthyRuns, spm),
        scenario("healthy, shared daily seasonality 50%", "healthy", volume, share, horizon, -1,
            Scenario.seasonal(0.5), otherHealthyRuns, spm),
        scenario("healthy, candidate-only overdispersion gamma k=50", "healthy", volume, share, horizon, -1,
            Scenario.flat(1), otherHealthyRuns, spm, 50),
        scenario("healthy, candidate-only overdispersion gamma k=10", "healthy", volume, share, horizon, -1,
            Scenario.flat(1), otherHealthyRuns, spm, 10),
        scenario("candidate-only spike 5x for 2 windows", "spike", volume, share, horizon, -1,
            Scenario.spike(30, spike, 5, false), otherHealthyRuns, spm),
        scenario("shared spike 5x for 2 windows", "spike", volume, share, horizon, -1,
            Scenario.spike(30, spike, 5, true), otherHealthyRuns, spm),
        scenario("step 1.5x at deployment", "detect", volume, share, horizon, 0, Scenario.flat(1.5), detectRuns,
            spm),
        scenario("step 2x at deployment", "detect", volume, share, horizon, 0, Scenario.flat(2), detectRuns, spm),
        scenario("step 2x at deployment, overdispersion k=10", "detect", volume, share, horizon, 0,
            Scenario.flat(2), detectRuns, spm, 10),
        scenario("step 5x at deployment", "detect", volume, share, horizon, 0, Scenario.flat(5), detectRuns, spm),
        scenario("step 2x mid-release", "detect", volume, share, horizon, mid * spm, Scenario.stepAt(mid, 2),
            detectRuns, spm),
        scenario("ramp 1x to 3x", "detect", volume, share, horizon, 0, Scenario.ramp(3, horizonMinutes / 2.0),
            detectRuns, spm));
    List<Map<String, Object>> results = new ArrayList<>();
        // False rollbacks of each rule over every healthy-like scenario of this configuration (they run first).
    Map<String, Long> healthyLikeFalse = new LinkedHashMap<>();
    for (Scenario s : scenarios) {
      List<Simulator.RunResult> runs = simulator.runAll(s, detectors);
      Map<String, Object> r = new LinkedHashMap<>();
      r.put("scenario", s.name());
      r.put("kind", s.kind());
      r.put("runs", s.runs());
      if (s.changeAt() >= 0) {
        r.put("changeAtWindow", s.changeAt());
      }
      Map<String, Object> perDetector = new LinkedHashMap<>();
      double ripcordMean = Double.NaN;
      double ripcordDetected = 0;
      double bestIndustry = Double.POSITIVE_INFINITY;
      String bestIndustryName = null;
      double bestIndustryDetected = 0;
      double bestFlat = Double.POSITIVE_INFINITY;
      double peerMean = Double.NaN;
      double peerDetected = 0;
      String bestFlatName = null;
      for (int i = 0; i < detectors.size(); i++) {
        final int di = i;
        String name = detectors.get(i).name();
        if (!s.kind().equals("detect")) {
          long fired = runs.stream().filter(x -> x.firedAt()[di] >= 0).count();
          double[] ci = clopperPearson(fired, s.runs());
          Map<String, Object> m = new LinkedHashMap<>();
          m.put("falseRollbacks", fired);
          m.put("perRelease", (double) fired / s.runs());
          m.put("upper95", ci[1]);
          m.put("lower95", ci[0]);
          if (i == 0 && s.name().equals("healthy")) {
            double[] promote = runs.stream().mapToDouble(x -> (x.promotedAt() < 0 ? s.horizon() : x.promotedAt() + 1)
                / (double) spm).toArray();
            m.put("minutesToRuleOut2x", summarise(promote));
          }
          perDetector.put(name, m);
          healthyLikeFalse.merge(name, fired, Long::sum);
          if (i == 0) {
            if (s.kind().equals("healthy")) {
              worstUpper.add(ci[1]);
            } else if (s.name().startsWith("shared")) {
              c.put("_sharedSpikeUpper", ci[1]);
            } else {
              c.put("_candidateSpike", fired + "/" + s.runs());
            }
          }
          continue;
        }
        double[] delayMin = runs.stream().mapToDouble(x -> delay(x.firedAt()[di], s)).toArray();
        long detected = runs.stream().filter(x -> x.firedAt()[di] >= s.changeAt()).count();
        long early = runs.stream().filter(x -> x.firedAt()[di] >= 0 && x.firedAt()[di] < s.changeAt()).count();
        double[] bad = runs.stream().mapToDouble(x -> x.badOutputs()[di]).toArray();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("detectedWithinHorizon", (double) detected / s.runs());
        m.put("rolledBackBeforeTheChange", early);
        Map<String, Object> dm = summarise(delayMin);
        m.put("delayMinutes", dm);
        double perMin = volume * share;
        m.put("delayCandidateOutputs", Map.of("mean", (double) dm.get("mean") * perMin,
            "p95", (double) dm.get("p95") * perMin));
        m.put("badOutputsServed", summarise(bad));
        double meanMin = (double) dm.get("mean");
        double detectedShare = (double) detected / s.runs();
        if (i == 0) {
          ripcordMean = meanMin;
          ripcordDetected = detectedShare;
          Double bound = switch (s.name()) {
            case "step 1.5x at deployment" -> twoSampleBound(1.5, share, p0);
            case "step 2x at deployment" -> twoSampleBound(2, share, p0);
            case "step 5x at deployment" -> twoSampleBound(5, share, p0);
            case "step 2x mid-release" -> cusumReference(2, share, p0, horizon);
            default -> null;
          };
          if (bound != null && detectedShare >= 0.99) {
            double e = bound / (meanMin * perMin);
            m.put(s.name().contains("mid-release") ? "relativeToCalibratedCusum" : "efficiency", e);
            // What any rule evaluated once a minute could achieve at best: the bound rounded up to whole windows.
            m.put("efficiencyAtThisInterval", Math.ceil(bound / perMin * spm) / spm / meanMin);
            m.put("boundMinutes", bound / perMin);
            if (s.name().equals("step 2x at deployment")) {
              eff2x.add(e);
            }
          } else if (bound != null) {
            m.put("efficiency", null);
            m.put("efficiencyNote", "not computed: only " + Math.round(detectedShare * 100)
                + " % detected within the horizon, so the mean delay is censored");
            m.put("boundMinutes", bound / perMin);
          }
        } else if (detectors.get(i) instanceof PeerCountTestDetector) {
          peerMean = meanMin;
          peerDetected = detectedShare;
        } else if (!name.startsWith("ripcord")) {
          if (meanMin < bestFlat) {
            bestFlat = meanMin;
            bestFlatName = name;
          }
          if (healthyLikeFalse.getOrDefault(name, 0L) == 0 && meanMin < bestIndustry) {
            bestIndustry = meanMin;
            bestIndustryName = name;
            bestIndustryDetected = detectedShare;
          }
        }
        perDetector.put(name, m);
      }
      if (s.kind().equals("detect")) {
        if (ripcordDetected >= 0.99 && peerDetected >= 0.99) {
          r.put("ripcordSpeedupVsPeer", peerMean / ripcordMean);
          peerSpeedups.add(peerMean / ripcordMean);
        } else {
          r.put("ripcordSpeedupVsPeerNote", "not computed: Ripcord detected " + Math.round(ripcordDetected * 100)
              + " %, the peer " + Math.round(peerDetected * 100) + " % within the horizon");
        }
      }
      if (s.kind().equals("detect") && bestIndustryName == null) {
        r.put("ripcordSpeedupNote", "no industry rule stayed free of false rollbacks in the healthy-like scenarios");
      }
      if (s.kind().equals("detect") && bestIndustryName != null) {
        r.put("bestIndustryRuleWithoutFalseRollbacks", bestIndustryName);
        if (ripcordDetected >= 0.99) {
          double speedup = bestIndustry / ripcordMean;
          r.put("ripcordSpeedup", speedup);
          Double bound = switch (s.name()) {
            case "step 2x at deployment" -> twoSampleBound(2, share, p0);
            case "step 5x at deployment" -> twoSampleBound(5, share, p0);
            case "step 1.5x at deployment" -> twoSampleBound(1.5, share, p0);
            default -> null;
          };
          if (bound != null) {
            // No rule with Ripcord's error rates beats the bound on average, so no rule can be faster than this.
            r.put("speedupCeilingAtTheBound", bestIndustry / (bound / (volume * share)));
          }
          if (bestIndustryDetected < 0.99) {
            r.put("ripcordSpeedupNote", "at least: the industry rule detected only "
                + Math.round(bestIndustryDetected * 100) + " % within the horizon (misses count as the horizon)");
          }
          speedups.add(speedup);
        } else {
          r.put("ripcordSpeedupNote", "not computed: Ripcord detected only " + Math.round(ripcordDetected * 100)
              + " % within the horizon");
        }
        if (bestFlatName != null) {
          r.put("fastestIndustryRuleIgnoringFalseRollbacks", bestFlatName);
          r.put("itsFalseRollbacksInHealthyLikeScenarios", healthyLikeFalse.getOrDefault(bestFlatName, 0L));
          r.put("ripcordSpeedupVsFastestIgnoringFalseRollbacks", bestFlat / ripcordMean);
        }
      }
      if (List.of("step 2x at deployment", "healthy, shared daily seasonality 50%", "candidate-only spike 5x for 2"
          + " windows", "step 2x at deployment, overdispersion k=10").contains(s.name())) {
        int n = Math.min(50, s.runs());
        int agree = EngineCrossCheck.agreeing(s, n, seed ^ 0x5eedL);
        r.put("engineCrossCheck", agree + " of " + n + " runs: same rollback window from the workflow's engine");
        crossCheckDisagreements += n - agree;
      }
      r.put("detectors", perDetector);
      results.add(r);
      System.err.printf("  %6d/min %3.0f%% p0 %.0e %-42s done%n", volume, share * 100, p0, s.name());
    }
    c.put("scenarios", results);
    c.put("ripcordFalseRollbacksInHealthyLikeScenarios", healthyLikeFalse.get("ripcord"));
    c.put("peerFalseRollbacksInHealthyLikeScenarios", healthyLikeFalse.get(PeerCountTestDetector.NAME));
    c.put("industryRulesWithoutFalseRollbacks", healthyLikeFalse.entrySet().stream()
        .filter(e -> e.getValue() == 0 && !e.getKey().startsWith("ripcord") && !e.getKey().startsWith("peer"))
        .map(Map.Entry::getKey).toList());
    return c;
  }
}
