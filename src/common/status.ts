/** Kafka Connect's states (AbstractStatus.State); STOPPED applies to connectors only. */
export type State = "UNASSIGNED" | "RUNNING" | "PAUSED" | "FAILED" | "RESTARTING" | "STOPPED";

export interface ConnectorTaskId {
  readonly connector: string;
  readonly task: number;
}

export interface Status {
  readonly state: State;
  /** The error's description (stack and causes) when FAILED. */
  readonly trace?: string;
  readonly workerId: string;
  /** The plugin's version (Kafka 4.1 shows it in statuses, KIP-891); added by the herder when it answers. */
  readonly version?: string;
}

/** Receives every state change of connectors and tasks (the status store, logs). */
export interface StatusListener {
  onConnectorStatus(connector: string, status: Status): void;
  onTaskStatus(id: ConnectorTaskId, status: Status): void;
}

export function taskName(id: ConnectorTaskId): string {
  return `${id.connector}-${id.task}`;
}
