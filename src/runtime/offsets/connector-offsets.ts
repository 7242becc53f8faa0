import type { AbstractConfig } from "../../api/config-def.ts";
import type { Connector } from "../../api/connector.ts";
import type { KafkaClientFactory } from "../../kafka/types.ts";
import type { OffsetStore } from "../../storage/offset-store.ts";
import type { PluginRegistry } from "../plugins/plugin-registry.ts";

/**
 * One partition and its offset, as the REST API shows them (Kafka's ConnectorOffset): a source connector's own
 * maps, or for a sink `{"kafka_topic","kafka_partition"}` and `{"kafka_offset"}`. A null offset (in a PATCH)
 * removes the partition's offset.
 */
export interface ConnectorOffset {
  readonly partition: Readonly<Record<string, unknown>> | null;
  readonly offset: Readonly<Record<string, unknown>> | null;
}

export interface ConnectorOffsets {
  readonly offsets: readonly ConnectorOffset[];
}

/** What reading or changing one connector's offsets needs: the connector, and the worker's stores and clients. */
export interface OffsetsTarget {
  readonly name: string;
  readonly config: Readonly<Record<string, string>>;
  readonly worker: {
    readonly config: AbstractConfig;
    readonly plugins: PluginRegistry;
    readonly kafka: KafkaClientFactory;
    readonly offsetStore: OffsetStore;
  };
}

/** Kafka's bound on a REST request's work (RestServer.DEFAULT_REST_REQUEST_TIMEOUT_MS). */
export const OFFSETS_REQUEST_TIMEOUT_MS = 90_000;

/** A fresh instance of the connector's class, never started: what `alterOffsets` is called on, as in Kafka. */
export function newConnector(target: OffsetsTarget): Connector {
  return target.worker.plugins.connector(target.config["connector.class"] ?? "").create();
}

/**
 * The answer to an alter or reset (Kafka's Worker.completeModifyOffsetsCallback): a plain success when the
 * connector's `alterOffsets` is implemented, else a reminder that offsets kept outside Connect are not touched.
 */
export function modifiedMessage(connectorAltered: boolean, reset: boolean): { message: string } {
  const kind = reset ? "reset" : "altered";
  if (connectorAltered) return { message: `The offsets for this connector have been ${kind} successfully` };
  return {
    message: `The Connect framework-managed offsets for this connector have been ${kind} successfully. However, if this connector manages offsets externally, they will need to be manually ${kind} in the system that the connector uses.`,
  };
}
