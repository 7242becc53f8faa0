/**
 * The replication keys of Debezium's PostgresConnectorConfig, with its defaults and validation: `slot.name`,
 * `slot.drop.on.stop`, `publication.name`, `publication.autocreate.mode`, `publish.via.partition.root` and
 * `status.update.interval.ms`.
 */
import { ConfigError } from "../../../src/index.ts";
import { PUBLICATION_AUTOCREATE_MODES, type PublicationAutocreateMode } from "./publication.ts";
import { DEFAULT_SLOT_NAME } from "./replication-slot.ts";
import { DEFAULT_STATUS_UPDATE_INTERVAL_MS } from "./replication-stream.ts";

export const DEFAULT_PUBLICATION_NAME = "dbz_publication";

export interface ReplicationConfig {
  readonly slotName: string;
  readonly dropSlotOnStop: boolean;
  readonly publicationName: string;
  readonly publicationAutocreateMode: PublicationAutocreateMode;
  readonly publishViaPartitionRoot: boolean;
  readonly statusUpdateIntervalMs: number;
}

function text(config: Readonly<Record<string, string>>, key: string, fallback: string): string {
  return config[key]?.trim() || fallback;
}

function boolean(config: Readonly<Record<string, string>>, key: string): boolean {
  const value = text(config, key, "false").toLowerCase();
  if (value !== "true" && value !== "false") {
    throw new ConfigError(`Invalid value ${config[key]} for configuration "${key}": expected true or false`, { key });
  }
  return value === "true";
}

export function readReplicationConfig(config: Readonly<Record<string, string>>): ReplicationConfig {
  const slotName = text(config, "slot.name", DEFAULT_SLOT_NAME);
  if (!/^[a-z0-9_]{1,63}$/.test(slotName)) {
    throw new ConfigError(
      `Invalid value ${slotName} for configuration "slot.name": Valid replication slot name must contain only ` +
        "digits, lowercase characters and underscores with length <= 63",
      { key: "slot.name" },
    );
  }
  const mode = text(config, "publication.autocreate.mode", "all_tables").toLowerCase();
  if (!(PUBLICATION_AUTOCREATE_MODES as readonly string[]).includes(mode)) {
    throw new ConfigError(
      `Invalid value ${mode} for configuration "publication.autocreate.mode": expected one of ` +
        PUBLICATION_AUTOCREATE_MODES.join(", "),
      { key: "publication.autocreate.mode" },
    );
  }
  const intervalText = text(config, "status.update.interval.ms", String(DEFAULT_STATUS_UPDATE_INTERVAL_MS));
  const interval = Number(intervalText);
  if (!Number.isInteger(interval) || interval <= 0 || interval > 2 ** 31 - 1) {
    throw new ConfigError(
      `Invalid value ${intervalText} for configuration "status.update.interval.ms": expected a positive integer`,
      { key: "status.update.interval.ms" },
    );
  }
  return {
    slotName,
    dropSlotOnStop: boolean(config, "slot.drop.on.stop"),
    publicationName: text(config, "publication.name", DEFAULT_PUBLICATION_NAME),
    publicationAutocreateMode: mode as PublicationAutocreateMode,
    publishViaPartitionRoot: boolean(config, "publish.via.partition.root"),
    statusUpdateIntervalMs: interval,
  };
}
