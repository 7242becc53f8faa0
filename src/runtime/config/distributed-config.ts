import { ConfigDef, oneOf, range, type Validator } from "../../api/config-def.ts";
import { EXACTLY_ONCE_SOURCE_SUPPORT_CONFIG, exactlyOnceSourceSupportValidator } from "./exactly-once-config.ts";
import { workerConfigDef } from "./worker-config.ts";

/** A partition count or replication factor: at least 1, or -1 for the broker's default (Kafka's DistributedConfig). */
const countOrBrokerDefault: Validator = Object.assign(
  (_name: string, value: unknown) => {
    if (typeof value === "number" && value !== -1 && value < 1) {
      throw new Error("Value must be -1 (the broker's default) or at least 1");
    }
  },
  { description: "-1, or [1,...]" },
);

/**
 * Distributed mode's keys, with Kafka Connect's names and defaults (DistributedConfig): the group the workers form,
 * the three internal topics and the membership timings.
 */
export const distributedConfigDef = workerConfigDef.merge(
  new ConfigDef()
    .define({
      name: "group.id",
      type: "string",
      importance: "high",
      documentation: "The Connect cluster this worker belongs to: workers with the same group.id share the work.",
    })
    .define({
      name: "config.storage.topic",
      type: "string",
      importance: "high",
      documentation: "The compacted topic (one partition) holding connector and task configurations.",
    })
    .define({
      name: "config.storage.replication.factor",
      type: "short",
      defaultValue: 3,
      validator: countOrBrokerDefault,
      importance: "low",
      documentation: "Replication factor of the config topic when the worker creates it; -1 for the broker default.",
    })
    .define({
      name: "offset.storage.topic",
      type: "string",
      importance: "high",
      documentation: "The compacted topic holding source connectors' offsets.",
    })
    .define({
      name: "offset.storage.partitions",
      type: "int",
      defaultValue: 25,
      validator: countOrBrokerDefault,
      importance: "low",
      documentation: "Partitions of the offsets topic when the worker creates it; -1 for the broker default.",
    })
    .define({
      name: "offset.storage.replication.factor",
      type: "short",
      defaultValue: 3,
      validator: countOrBrokerDefault,
      importance: "low",
      documentation: "Replication factor of the offsets topic when the worker creates it; -1 for the broker default.",
    })
    .define({
      name: "status.storage.topic",
      type: "string",
      importance: "high",
      documentation: "The compacted topic holding connector and task statuses.",
    })
    .define({
      name: "status.storage.partitions",
      type: "int",
      defaultValue: 5,
      validator: countOrBrokerDefault,
      importance: "low",
      documentation: "Partitions of the status topic when the worker creates it; -1 for the broker default.",
    })
    .define({
      name: "status.storage.replication.factor",
      type: "short",
      defaultValue: 3,
      validator: countOrBrokerDefault,
      importance: "low",
      documentation: "Replication factor of the status topic when the worker creates it; -1 for the broker default.",
    })
    .define({
      name: "session.timeout.ms",
      type: "int",
      defaultValue: 10000,
      importance: "high",
      documentation: "How long the group coordinator waits for a worker's heartbeat before it drops the worker.",
    })
    .define({
      name: "heartbeat.interval.ms",
      type: "int",
      defaultValue: 3000,
      importance: "high",
      documentation: "How often a worker heartbeats to the group coordinator.",
    })
    .define({
      name: "rebalance.timeout.ms",
      type: "int",
      defaultValue: 60000,
      importance: "high",
      documentation: "How long a rebalance may take once started: each worker must rejoin within it.",
    })
    .define({
      name: "scheduled.rebalance.max.delay.ms",
      type: "int",
      // Not Kafka's 300000 (5 minutes): measured with bench/distributed (bench/README.md), 15 s is the smallest delay
      // that keeps a follower restarted within 10 s from having its tasks moved to others and back, while a dead
      // worker's tasks run elsewhere after about 30 s instead of 5 minutes.
      defaultValue: 15000,
      validator: range(0, 2147483647),
      importance: "low",
      documentation:
        "How long the leader holds a departed worker's connectors and tasks for it to come back before giving them to others. " +
        "sluice's default is 15000 (15 s), where Kafka Connect's is 300000 (5 minutes): measured, 15 s covers a worker restart " +
        "of about 10 s without moving its tasks to other workers and back, and a dead worker's tasks run elsewhere after " +
        "about 30 s (session.timeout.ms plus the delay) instead of about 5 minutes.",
    })
    .define({
      name: "connect.protocol",
      type: "string",
      defaultValue: "sessioned",
      validator: oneOf(["eager", "compatible", "sessioned"], { caseInsensitive: true }),
      importance: "low",
      documentation: "The group's sub-protocol: eager (stop everything on a rebalance), compatible or sessioned.",
    })
    .define({
      // Distributed mode only, as in Kafka: a standalone worker has no exactly-once source support.
      name: EXACTLY_ONCE_SOURCE_SUPPORT_CONFIG,
      type: "string",
      defaultValue: "disabled",
      validator: exactlyOnceSourceSupportValidator,
      importance: "high",
      documentation:
        "Exactly-once delivery for source connectors across the cluster: their tasks write records and source offsets " +
        "in one transaction, and the leader fences out an earlier generation of a connector's tasks before starting " +
        "the next. A new cluster sets 'enabled'; an existing one first sets 'preparing' on every worker, then " +
        "'enabled' (a rolling restart is enough for each step).",
    })
    .define({
      name: "retry.backoff.ms",
      type: "long",
      defaultValue: 100,
      validator: range(0),
      importance: "low",
      documentation: "Pause before a failed request to the group coordinator is tried again.",
    }),
);
