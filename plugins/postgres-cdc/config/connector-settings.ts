/**
 * A task's settings, parsed once from its configuration: the keys of POSTGRES_CONNECTOR_CONFIG_DEF with their
 * types, the connection, the table filter and the type mapping.
 */
import type { ConversionFailureMode } from "../events/column-converter.ts";
import { type PostgresConnectionConfig, readConnectionConfig } from "../replication/connection-options.ts";
import { type TableFilter, tableFilterFrom } from "../schema/table-filter.ts";
import { type TypeMappingOptions, typeMappingOptionsFrom } from "../schema/type-mapping-options.ts";
import { unavailableValuePlaceholder } from "../schema/unchanged-toast.ts";
import {
  POSTGRES_CONNECTOR_CONFIG_DEF,
  type PublicationAutocreateMode,
  type SnapshotMode,
} from "./postgres-connector-config.ts";

export interface ParsedSettings {
  readonly topicPrefix: string;
  readonly topicDelimiter: string;
  readonly connection: PostgresConnectionConfig;
  readonly slotName: string;
  readonly slotDropOnStop: boolean;
  readonly publicationName: string;
  readonly publicationAutocreateMode: PublicationAutocreateMode;
  readonly publishViaPartitionRoot: boolean;
  readonly snapshotMode: SnapshotMode;
  readonly snapshotFetchSize: number;
  readonly filter: TableFilter;
  readonly typeMapping: TypeMappingOptions;
  readonly unavailablePlaceholder: Uint8Array;
  readonly conversionFailureMode: ConversionFailureMode;
  readonly tombstonesOnDelete: boolean;
  /** Operations whose events are not written (`skipped.operations`; `none` clears the list). */
  readonly skippedOperations: ReadonlySet<string>;
  readonly extendedHeaders: boolean;
  readonly heartbeatIntervalMs: number;
  readonly heartbeatTopicPrefix: string;
  readonly statusUpdateIntervalMs: number;
  readonly flushLsnSource: boolean;
  readonly maxBatchSize: number;
  readonly pollIntervalMs: number;
}

/** Throws a ConfigError naming the first bad key. */
export function parseSettings(props: Readonly<Record<string, string>>): ParsedSettings {
  const parsed = POSTGRES_CONNECTOR_CONFIG_DEF.parse(props);
  const get = <T>(name: string) => parsed[name] as T;
  const typeMapping = typeMappingOptionsFrom(props);
  return {
    topicPrefix: get<string>("topic.prefix"),
    topicDelimiter: get<string>("topic.delimiter"),
    connection: readConnectionConfig(props),
    slotName: get<string>("slot.name"),
    slotDropOnStop: get<boolean>("slot.drop.on.stop"),
    publicationName: get<string>("publication.name"),
    publicationAutocreateMode: get<PublicationAutocreateMode>("publication.autocreate.mode"),
    publishViaPartitionRoot: get<boolean>("publish.via.partition.root"),
    snapshotMode: get<SnapshotMode>("snapshot.mode"),
    snapshotFetchSize: get<number>("snapshot.fetch.size"),
    filter: tableFilterFrom(props),
    typeMapping,
    unavailablePlaceholder: unavailableValuePlaceholder(props),
    conversionFailureMode: get<ConversionFailureMode>("event.converting.failure.handling.mode"),
    tombstonesOnDelete: get<boolean>("tombstones.on.delete"),
    skippedOperations: new Set(
      get<string[]>("skipped.operations")
        .map((op) => op.trim())
        .filter((op) => op !== "none"),
    ),
    extendedHeaders: get<boolean>("extended.headers.enabled"),
    heartbeatIntervalMs: get<number>("heartbeat.interval.ms"),
    heartbeatTopicPrefix: get<string>("topic.heartbeat.prefix"),
    statusUpdateIntervalMs: get<number>("status.update.interval.ms"),
    flushLsnSource: get<boolean>("flush.lsn.source"),
    maxBatchSize: get<number>("max.batch.size"),
    pollIntervalMs: get<number>("poll.interval.ms"),
  };
}
