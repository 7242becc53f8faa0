/**
 * What the benchmark runs with, written down once: record counts, rounds, and the worker and connector settings
 * both runtimes get alike, so that a difference in speed is the runtime's.
 */

export const FULL = { records: 1_000_000, rounds: 3 } as const;
/** `--quick`: a smoke run that CI can afford (about a minute). */
export const QUICK = { records: 20_000, rounds: 1 } as const;

/** Records per poll() of both source connectors (Kafka's FileStreamSource default). */
export const SOURCE_BATCH_SIZE = 2000;

/**
 * Worker keys both runtimes get. Connect's producer defaults differ from librdkafka's, so the knobs that decide
 * batching are set to the same values on both sides: librdkafka's defaults for linger (5 ms) and batch size
 * (1 MB), which Java's producer (16 KiB batches by default) gets explicitly. Connect also fixes acks=all and one
 * request in flight per connection for its source producers; sluice's producer is idempotent (acks=all, up to 5
 * in flight, order kept). Those are each runtime's own delivery design and are left alone.
 */
export function commonWorkerProperties(options: {
  bootstrap: string;
  port: number;
  offsetsFile: string;
  schemas: boolean;
}): Record<string, string> {
  return {
    "bootstrap.servers": options.bootstrap,
    listeners: `http://127.0.0.1:${options.port}`,
    "rest.advertised.host.name": "127.0.0.1",
    "key.converter": "org.apache.kafka.connect.storage.StringConverter",
    "value.converter": "org.apache.kafka.connect.json.JsonConverter",
    "value.converter.schemas.enable": String(options.schemas),
    "offset.storage.file.filename": options.offsetsFile,
    // Kafka's config/connect-standalone.properties value.
    "offset.flush.interval.ms": "10000",
    "producer.linger.ms": "5",
    "producer.batch.size": "1000000",
    "producer.compression.type": "none",
  };
}

/** Flatten, then Cast two of the flattened fields, then drop two: the chain every workload runs. */
export const TRANSFORMS: Readonly<Record<string, string>> = {
  transforms: "flatten,cast,drop",
  "transforms.flatten.type": "org.apache.kafka.connect.transforms.Flatten$Value",
  "transforms.cast.type": "org.apache.kafka.connect.transforms.Cast$Value",
  "transforms.cast.spec": "customer.id:string,created_at:string",
  "transforms.drop.type": "org.apache.kafka.connect.transforms.ReplaceField$Value",
  "transforms.drop.exclude": "customer.email,customer.address.street",
};

/** Producer settings kcat gets for the ceiling: the same batching, and Java's partitioner as both runtimes use. */
export const KCAT_PRODUCER: Readonly<Record<string, string>> = {
  "linger.ms": "5",
  "batch.size": "1000000",
  "compression.type": "none",
  acks: "all",
  "enable.idempotence": "true",
  partitioner: "murmur2_random",
};
