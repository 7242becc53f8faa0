/**
 * Kafka Connect's TargetState: what the user asked a connector to be. The config stores keep it, the herders act on
 * it, and the REST API shows it, so it lives below all three.
 */
export type TargetState = "STARTED" | "PAUSED" | "STOPPED";

export const TARGET_STATES: readonly TargetState[] = ["STARTED", "PAUSED", "STOPPED"];
