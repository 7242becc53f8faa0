import type { ConnectRecord, SinkRecord, SourceRecord } from "../../api/record.ts";
import type { Schema } from "../../api/schema.ts";
import { JsonConverter } from "../../data/converters/json-converter.ts";
import { compileFastPath, type FastPath } from "../../data/fast-paths/schemaless/json-fast-path.ts";
import { compileEnvelopeFastPath, type EnvelopeFastPath } from "../../data/fast-paths/structs/envelope-fast-path.ts";
import type { KafkaMessage, ProduceRecord } from "../../kafka/types.ts";
import type { PluginRegistry } from "../plugins/plugin-registry.ts";
import type { Converters } from "./connector-converters.ts";
import { convertHeadersAndKey, describeSourceRecord, toProduceRecord, toSinkRecord } from "./record-conversion.ts";
import { TransformationChain } from "./transformation-chain.ts";

/** A record the pipeline failed on: the error (a RecordConversionError or TransformationError) for the error handler. */
export class PipelineFailure {
  constructor(readonly error: unknown) {}
}

/** What became of one consumed message: its record after the chain, null when a transform dropped it, or a failure. */
export type SinkOutcome = SinkRecord | null | PipelineFailure;

/**
 * One connector's record pipeline, for one task: its converters and transformation chain, a batch at a time. The
 * worker's sink and source tasks, the dry run (`sluice transform`) and the benchmarks all run records through this
 * class, so what the dry run shows and the differential tests check is what a worker does.
 *
 * Sink side, where the connector's value converter is a JsonConverter and its chain is one the fast paths compile
 * (Flatten, Cast, ReplaceField, Drop on values, no predicates), a batch's values go bytes to bytes in one call: no
 * string or object is built for them. Without schemas, per record shape (json-fast-path.ts); with schemas, per
 * schema, the envelope's payload checked against it (envelope-fast-path.ts). Each record then carries its value as
 * JSON (`SinkRecord.valueJson`, the payload JsonConverter would write for it), with its schema, and its `value` is
 * read from those bytes only if the sink reads it. Records the fast paths decline take the general path, record by
 * record: converter, chain. Either way the records are the same (the fast paths' tests hold them to the general
 * path).
 */
export class RecordPipeline {
  private constructor(
    readonly converters: Converters,
    readonly chain: TransformationChain<ConnectRecord>,
    private readonly fastValues: FastPath | null,
    private readonly fastEnvelopes: EnvelopeFastPath | null,
  ) {}

  /**
   * The pipeline of a connector configuration: its chain (`transforms`, `predicates`) and, when it compiles, the
   * fast path for its values. `fastPath: false` leaves the fast path out (to compare the two, or to measure).
   */
  static create(
    connectorConfig: Readonly<Record<string, string>>,
    converters: Converters,
    plugins: PluginRegistry,
    options: { readonly fastPath?: boolean } = {},
  ): RecordPipeline {
    const chain = TransformationChain.fromConfig<ConnectRecord>(connectorConfig, plugins);
    const converter = converters.value;
    if (options.fastPath === false || !(converter instanceof JsonConverter))
      return new RecordPipeline(converters, chain, null, null);
    const fast = compileFastPath(connectorConfig, converters.settings.value);
    const envelopes = fast === null ? compileEnvelopeFastPath(converter, chain.structStages()) : null;
    return new RecordPipeline(converters, chain, fast, envelopes);
  }

  /** Whether sink-side values take a bytes-to-bytes fast path. */
  get usesFastPath(): boolean {
    return this.fastValues !== null || this.fastEnvelopes !== null;
  }

  /**
   * Sink side: a batch of consumed messages to the records `put` gets, in order. Never throws for a record: its
   * failure is its outcome. The records own their bytes (nothing points into the consumer's batch).
   */
  toSinkRecords(messages: readonly KafkaMessage[]): SinkOutcome[] {
    const out: SinkOutcome[] = new Array(messages.length);
    const values = this.fastValues === null && this.fastEnvelopes === null ? null : messages.map((m) => m.value);
    const fast = this.fastValues === null || values === null ? null : this.fastValues(values);
    const envelopes =
      this.fastEnvelopes === null || values === null || messages.length === 0
        ? null
        : this.fastEnvelopes((messages[0] as KafkaMessage).topic, values);
    for (let i = 0; i < messages.length; i++) {
      const message = messages[i] as KafkaMessage;
      try {
        const value = fast === null ? undefined : fast[i];
        const envelope = envelopes === null ? undefined : envelopes[i];
        if (value !== undefined) out[i] = this.jsonSinkRecord(message, null, value);
        else if (envelope !== undefined) out[i] = this.jsonSinkRecord(message, envelope.schema, envelope.json);
        else out[i] = this.toSinkRecord(message);
      } catch (error) {
        out[i] = new PipelineFailure(error);
      }
    }
    return out;
  }

  /** Sink side, one message the general way (also how a failed record is retried): converters, then the chain. */
  toSinkRecord(message: KafkaMessage): SinkRecord | null {
    const record = toSinkRecord(message, this.converters);
    return this.chain.isEmpty ? record : (this.chain.apply(record) as SinkRecord | null);
  }

  /**
   * A record whose value a fast path already transformed: headers and key are converted as usual; the value is the
   * fast path's JSON (with its schema, from an envelope), read by the value converter on first use.
   */
  private jsonSinkRecord(message: KafkaMessage, valueSchema: Schema | null, valueJson: Uint8Array | null): SinkRecord {
    const { headers, keySchema, key } = convertHeadersAndKey(message, this.converters);
    // Whole literals, not a spread of shared fields: a spread copies property by property (a profile of a file
    // sink showed it at 4% of the thread).
    if (valueJson === null) {
      return {
        topic: message.topic,
        kafkaPartition: message.partition,
        kafkaOffset: message.offset,
        keySchema,
        key,
        valueSchema,
        value: null,
        timestamp: message.timestamp,
        timestampType: message.timestampType,
        headers,
      };
    }
    // The fast paths run only for a JsonConverter (create).
    const converter = this.converters.value as JsonConverter;
    let value: unknown;
    let parsed = false;
    return {
      topic: message.topic,
      kafkaPartition: message.partition,
      kafkaOffset: message.offset,
      keySchema,
      key,
      valueSchema,
      // An own, enumerable accessor: a spread or JSON.stringify of the record reads the value like any other field.
      get value(): unknown {
        if (!parsed) {
          value = converter.payloadToConnect(valueSchema, valueJson);
          parsed = true;
        }
        return value;
      },
      timestamp: message.timestamp,
      timestampType: message.timestampType,
      headers,
      valueJson,
    };
  }

  /** Source side, one polled record: the chain, then the converters; null when a transform dropped it. */
  toProduceRecord(record: SourceRecord): ProduceRecord | null {
    const transformed = this.chain.isEmpty ? record : this.chain.apply(record);
    if (transformed === null) return null;
    return toProduceRecord(transformed, this.converters, () => describeSourceRecord(record));
  }

  /**
   * A sink record back to bytes with the same converters (the dry run's last step). A value a fast path made is its
   * JSON as it is (in its envelope when the converter writes one): what the converter would write for it.
   */
  encode(record: SinkRecord, where: () => string, converters: Converters = this.converters): ProduceRecord {
    const json = record.valueJson;
    if (json === undefined || converters !== this.converters) return toProduceRecord(record, converters, where);
    // Field by field: a spread of the record would read `value`, and so parse the JSON this is here to spare.
    const withoutValue: ConnectRecord = {
      topic: record.topic,
      kafkaPartition: record.kafkaPartition,
      keySchema: record.keySchema,
      key: record.key,
      valueSchema: null,
      value: null,
      timestamp: record.timestamp,
      headers: record.headers,
    };
    const converter = this.converters.value;
    const value =
      record.valueSchema !== null && converter instanceof JsonConverter
        ? converter.envelopeOf(record.valueSchema, json)
        : json;
    return { ...toProduceRecord(withoutValue, this.converters, where), value };
  }

  close(): void {
    this.chain.close();
  }
}
