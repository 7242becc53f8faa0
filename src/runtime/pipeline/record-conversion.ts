import { DataError } from "../../api/errors.ts";
import type { Header as ConnectHeader } from "../../api/headers.ts";
import type { ConnectRecord, SinkRecord, SourceRecord } from "../../api/record.ts";
import type { Schema } from "../../api/schema.ts";
import type { Header, KafkaMessage, ProduceRecord } from "../../kafka/types.ts";
import type { Stage } from "../errors/stage.ts";
import type { Converters } from "./connector-converters.ts";

/** A failure to convert one record, naming the stage and where the record came from so a user can find it. */
export class RecordConversionError extends DataError {
  constructor(
    readonly stage: Stage,
    readonly where: string,
    cause: unknown,
  ) {
    super(`${stage} failed for ${where}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      code: "RECORD_CONVERSION_FAILED",
      cause,
    });
  }
}

/** A source record as error messages name it. */
export function describeSourceRecord(record: SourceRecord): string {
  return `a record for topic ${record.topic} (source partition ${JSON.stringify(record.sourcePartition)}, offset ${JSON.stringify(record.sourceOffset)})`;
}

/** Connect data to bytes: the source side's last step, and the dry run's. */
export function toProduceRecord(record: ConnectRecord, converters: Converters, where: () => string): ProduceRecord {
  let key: Uint8Array | null;
  let value: Uint8Array | null;
  let headers: Header[] | null = null;
  if (record.headers.length > 0) {
    try {
      headers = record.headers.map(
        (h) => [h.key, converters.header.fromConnectHeader(record.topic, h.key, h.schema, h.value)] as const,
      );
    } catch (error) {
      throw new RecordConversionError("HEADER_CONVERTER", where(), error);
    }
  }
  try {
    key = converters.key.fromConnectData(record.topic, record.headers, record.keySchema, record.key);
  } catch (error) {
    throw new RecordConversionError("KEY_CONVERTER", where(), error);
  }
  try {
    value = converters.value.fromConnectData(record.topic, record.headers, record.valueSchema, record.value);
  } catch (error) {
    throw new RecordConversionError("VALUE_CONVERTER", where(), error);
  }
  return {
    topic: record.topic,
    partition: record.kafkaPartition ?? -1,
    key,
    value,
    timestamp: record.timestamp,
    headers,
  };
}

/** A consumed message as error messages name it. */
function describeMessage(message: KafkaMessage): string {
  return `topic ${message.topic} partition ${message.partition} offset ${message.offset}`;
}

/** A consumed message's headers and key in Connect data: everything of a SinkRecord but its value. */
export interface HeadersAndKey {
  readonly headers: ConnectHeader[];
  readonly keySchema: Schema | null;
  readonly key: unknown;
}

/** Converts a message's headers and key (the converters copy or decode, so they outlive the message's batch). */
export function convertHeadersAndKey(message: KafkaMessage, converters: Converters): HeadersAndKey {
  let headers: ConnectHeader[] = [];
  if (message.headers.length > 0) {
    try {
      headers = message.headers.map(([key, bytes]) => {
        const { schema, value } = converters.header.toConnectHeader(message.topic, key, bytes);
        return { key, schema, value };
      });
    } catch (error) {
      throw new RecordConversionError("HEADER_CONVERTER", describeMessage(message), error);
    }
  }
  try {
    const key = converters.key.toConnectData(message.topic, headers, message.key);
    return { headers, keySchema: key.schema, key: key.value };
  } catch (error) {
    throw new RecordConversionError("KEY_CONVERTER", describeMessage(message), error);
  }
}

/** Bytes to Connect data. The converters copy or decode, so the record outlives the message's batch. */
export function toSinkRecord(message: KafkaMessage, converters: Converters): SinkRecord {
  const { headers, keySchema, key } = convertHeadersAndKey(message, converters);
  let value: ReturnType<Converters["value"]["toConnectData"]>;
  try {
    value = converters.value.toConnectData(message.topic, headers, message.value);
  } catch (error) {
    throw new RecordConversionError("VALUE_CONVERTER", describeMessage(message), error);
  }
  return {
    topic: message.topic,
    kafkaPartition: message.partition,
    kafkaOffset: message.offset,
    keySchema,
    key,
    valueSchema: value.schema,
    value: value.value,
    timestamp: message.timestamp,
    timestampType: message.timestampType,
    headers,
  };
}
