/**
 * rd_kafka_conf_t from KafkaProperties, and rd_kafka_new. Every property passes through to librdkafka unchanged;
 * sluice's defaults are applied first so that the caller's properties override them. A property librdkafka
 * rejects becomes a ConfigError naming it, with librdkafka's own explanation.
 */
import type { Pointer } from "bun:ffi";
import { ConfigError } from "../../api/errors.ts";
import type { KafkaProperties } from "../types.ts";
import { RD_KAFKA_CONF_OK, RD_KAFKA_CONF_UNKNOWN } from "./constants.ts";
import { cstr, errstrBuffer, errstrText, rdkafka } from "./library.ts";

/**
 * Creates a client of `type` (RD_KAFKA_PRODUCER or RD_KAFKA_CONSUMER) with `defaults` overridden by `properties`,
 * and `events` enabled so that everything librdkafka reports arrives as events on queues sluice polls.
 */
export function createClient(
  type: number,
  properties: KafkaProperties,
  defaults: Readonly<Record<string, string>>,
  events: number,
): Pointer {
  const lib = rdkafka();
  const conf = lib.rd_kafka_conf_new();
  if (!conf) throw new Error("rd_kafka_conf_new failed");
  const errstr = errstrBuffer();
  try {
    for (const [name, value] of Object.entries({ ...defaults, ...properties })) {
      if (typeof value !== "string" && typeof value !== "number" && typeof value !== "boolean") {
        throw new ConfigError(`Kafka client property "${name}" must be a string, got ${typeof value}`, { key: name });
      }
      const res = lib.rd_kafka_conf_set(conf, cstr(name), cstr(String(value)), errstr, errstr.length);
      if (res !== RD_KAFKA_CONF_OK) {
        const why = errstrText(errstr);
        throw new ConfigError(
          res === RD_KAFKA_CONF_UNKNOWN
            ? `Unknown Kafka client property "${name}": ${why}`
            : `Invalid value ${JSON.stringify(String(value))} for Kafka client property "${name}": ${why}`,
          { key: name },
        );
      }
    }
    lib.rd_kafka_conf_set_events(conf, events);
  } catch (error) {
    lib.rd_kafka_conf_destroy(conf);
    throw error;
  }
  // rd_kafka_new owns conf only when it succeeds.
  const rk = lib.rd_kafka_new(type, conf, errstr, errstr.length);
  if (!rk) {
    lib.rd_kafka_conf_destroy(conf);
    const why = errstrText(errstr);
    // librdkafka quotes the offending property in most of its cross-property checks.
    const key = /`([a-z0-9._]+)`|"([a-z0-9._]+)"/.exec(why);
    throw new ConfigError(`Invalid Kafka client configuration: ${why}`, { key: key?.[1] ?? key?.[2] });
  }
  return rk;
}

/** The bootstrap servers of a configuration, for error messages about unreachable clusters. */
export function bootstrapServers(properties: KafkaProperties): string {
  return properties["bootstrap.servers"] ?? properties["metadata.broker.list"] ?? "(no bootstrap.servers)";
}
