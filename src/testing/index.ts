/**
 * sluice's conformance kit (`sluice/testing`): what a plugin author runs from their own repository to check a
 * connector against Kafka Connect's contract, with fake task contexts and through a real worker and broker.
 * It uses bun:test, so import it from test files only. Nothing else in sluice's src/ imports it.
 */
export { type ConnectorConformanceOptions, runConnectorConformance } from "./connector-conformance.ts";
export { MemoryOffsetStorageReader } from "./memory-offset-storage-reader.ts";
export { RoundTripFailure } from "./round-trip-failure.ts";
export type {
  ProducedRecord,
  RoundTripOptions,
  RoundTripRecord,
  SinkRoundTripOptions,
  SinkRun,
  SourceRoundTripOptions,
} from "./round-trip-options.ts";
export { type SinkRoundTripReport, sinkRoundTrip } from "./sink-round-trip.ts";
export { type SourceRoundTripReport, sourceRoundTrip } from "./source-round-trip.ts";
export {
  connectorContext,
  type RecordingConnectorContext,
  type RecordingSinkTaskContext,
  sinkTaskContext,
  sourceTaskContext,
} from "./task-contexts.ts";
