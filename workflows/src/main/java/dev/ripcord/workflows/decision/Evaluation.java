package dev.ripcord.workflows.decision;

/** The engine's answer to one window: what to remember and what to do. */
public record Evaluation(EngineState state, WindowVerdict verdict) {}
