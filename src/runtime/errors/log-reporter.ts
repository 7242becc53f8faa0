import type { Headers } from "../../api/headers.ts";
import type { SourceRecord } from "../../api/record.ts";
import type { Schema } from "../../api/schema.ts";
import { createLogger, type Logger } from "../../common/logger.ts";
import { javaToString } from "../../data/converters/java-format.ts";
import type { KafkaMessage } from "../../kafka/types.ts";
import type { ErrorMetrics } from "../metrics/error-metrics.ts";
import type { ErrorReporter } from "./error-reporter.ts";
import type { FailedRecord } from "./failed-record.ts";

export interface LogReporterOptions {
  /** Counts each failure logged (Kafka's total-errors-logged). */
  readonly metrics?: ErrorMetrics;
  /** `errors.log.include.messages`: add the record (sink: its timestamp too; source: key, value, headers too). */
  readonly includeMessages: boolean;
  /** Defaults to the task's logger name with `.errors` added, so the task's log level applies. */
  readonly logger?: Logger;
}

/**
 * `errors.log.enable`: one ERROR line per failed record, in Kafka's LogReporter words:
 * `Error encountered in task <connector>-<task>. Executing stage '<STAGE>' with class '<class>', where ... .`
 * followed by the error's message. With `errors.log.include.messages` the "where" part is Kafka's: the consumed
 * record's topic, partition, offset and timestamp (sink), or the whole source record as `SourceRecord.toString()`
 * prints it, key, value and headers included (source). Without it Kafka names no record at all; sluice still names
 * where the record is (sink: `{topic='t', partition=0, offset=5}`; source: its topic, Kafka partition, source
 * partition and source offset), never its key, value or headers, so that a skipped record can always be found.
 */
export class LogReporter implements ErrorReporter {
  private readonly includeMessages: boolean;
  private logger: Logger | undefined;
  private readonly metrics: ErrorMetrics | undefined;

  constructor(options: LogReporterOptions) {
    this.includeMessages = options.includeMessages;
    this.logger = options.logger;
    this.metrics = options.metrics;
  }

  async report(failure: FailedRecord): Promise<void> {
    this.logger ??= createLogger(`task.${failure.connector}-${failure.taskId}.errors`);
    this.logger.error(this.message(failure), failure.error);
    this.metrics?.logged();
  }

  message(failure: FailedRecord): string {
    let text =
      `Error encountered in task ${failure.connector}-${failure.taskId}. ` +
      `Executing stage '${failure.stage}' with class '${failure.executingClass}'`;
    const { source, consumed } = failure;
    if (source) {
      text += this.includeMessages
        ? `, where source record is = ${sourceRecordText(source)}`
        : `, where source record is ${sourceCoordinates(source)}`;
    } else if (consumed) {
      text += `, where consumed record is ${consumedText(consumed, this.includeMessages)}`;
    }
    return `${text}.`;
  }

  async close(): Promise<void> {}
}

function consumedText(message: KafkaMessage, withTimestamp: boolean): string {
  let text = `{topic='${message.topic}', partition=${message.partition}, offset=${message.offset}`;
  if (withTimestamp && message.timestampType !== "NoTimestampType" && message.timestamp !== null) {
    text += `, timestamp=${message.timestamp}, timestampType=${message.timestampType}`;
  }
  return `${text}}`;
}

function sourceCoordinates(record: SourceRecord): string {
  return (
    `{topic='${record.topic}', kafkaPartition=${record.kafkaPartition ?? "null"}, ` +
    `sourcePartition=${javaToString(record.sourcePartition)}, sourceOffset=${javaToString(record.sourceOffset)}}`
  );
}

/** Kafka's `SourceRecord.toString()` (which appends `ConnectRecord.toString()`). */
function sourceRecordText(record: SourceRecord): string {
  return (
    `SourceRecord{sourcePartition=${javaToString(record.sourcePartition)}, ` +
    `sourceOffset=${javaToString(record.sourceOffset)}} ` +
    `ConnectRecord{topic='${record.topic}', kafkaPartition=${record.kafkaPartition ?? "null"}, ` +
    `key=${javaToString(record.key, record.keySchema)}, keySchema=${schemaText(record.keySchema)}, ` +
    `value=${javaToString(record.value, record.valueSchema)}, valueSchema=${schemaText(record.valueSchema)}, ` +
    `timestamp=${record.timestamp ?? "null"}, headers=${headersText(record.headers)}}`
  );
}

function schemaText(schema: Schema | null | undefined): string {
  if (!schema) return "null";
  const type = schema.type.toUpperCase();
  return schema.name === undefined ? `Schema{${type}}` : `Schema{${schema.name}:${type}}`;
}

function headersText(headers: Headers): string {
  // Kafka's ConnectHeaders prints nothing inside the parentheses when no header was ever added.
  if (headers.length === 0) return "ConnectHeaders(headers=)";
  const parts = headers.map(
    (h) => `ConnectHeader(key=${h.key}, value=${javaToString(h.value, h.schema)}, schema=${schemaText(h.schema)})`,
  );
  return `ConnectHeaders(headers=[${parts.join(", ")}])`;
}
