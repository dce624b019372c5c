package dev.ripcord.workflows.release;

import dev.ripcord.workflows.activity.RouterActivities.WeightChange;
import dev.ripcord.workflows.decision.Decision;
import dev.ripcord.workflows.decision.EngineState;
import dev.ripcord.workflows.decision.Observation;
import java.util.List;

/**
 * Everything one run of a release hands to the next when it continues as new during a long bake. Fields added
 * later ({@code alertsActedOn}, {@code rereleases}, {@code exposedAt}) are absent in older histories. The audit log
 * is bounded ({@link CarriedLog}); the whole input is checked against {@code MAX_CARRY_BYTES} before it is written.
 */
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
public record Carried(
    ReleaseState state,
    int stageIndex,
    int weight,
    long stageStartedAt,
    long bakedMillis,
    long stageSamples,
    long windowStartedAt,
    boolean sawPushThisWindow,
    int actionSeq,
    EngineState engine,
    Decision lastDecision,
    OpenDecision waitingFor,
    String pausedBy,
    String pauseReason,
    List<String> investigating,
    List<Observation> pushed,
    List<AuditEntry> audit,
    List<WeightChange> actions,
    int runs,
    List<String> alertsActedOn,
    Integer rereleases,
    Integer weightBeforeInvestigation,
    Long exposedAt) {}
