package dev.ripcord.bench.detection;

/** A rollback rule fed one window at a time; answers whether it would roll back now. */
interface Detector {
  String name();

  /** A fresh copy for one simulated release. */
  Detector fresh();

  /** @return true when the rule rolls back at this window */
  boolean window(int t, long xc, long nc, long xb, long nb);
}
