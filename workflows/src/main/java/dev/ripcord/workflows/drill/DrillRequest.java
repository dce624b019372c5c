package dev.ripcord.workflows.drill;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One drill to run: the policy and the scenario as their files' text (snapshotted when the schedule was made, so
 * every run rehearses the same thing until the schedule is updated).
 *
 * @param name shown in the timeline and notifications, e.g. the scenario's name
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record DrillRequest(String name, String policy, String scenario) {}
