import type { Herder } from "../runtime/herder.ts";

/** What the routes need from the worker. */
export interface RestContext {
  readonly herder: Herder;
  readonly version: string;
  readonly commit: string;
  kafkaClusterId(): string | null;
  /** Resolves once the worker can handle requests (Kafka's Herder.healthCheck); pending while it starts. */
  healthCheck(): Promise<void>;
  /** Whether start-up is over (Kafka's Herder.isReady): tells a worker still starting from a stuck one. */
  isReady(): boolean;
}
