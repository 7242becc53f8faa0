import type { StandaloneHerder } from "../runtime/standalone-herder.ts";

/** What the routes need from the worker. */
export interface RestContext {
  readonly herder: StandaloneHerder;
  readonly version: string;
  readonly commit: string;
  kafkaClusterId(): string | null;
}
