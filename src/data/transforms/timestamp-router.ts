// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${topic}`-style placeholders are Kafka's literal syntax here
import { ConfigDef } from "../../api/config-def.ts";
import { ConfigError, DataError } from "../../api/errors.ts";
import type { ConnectRecord } from "../../api/record.ts";
import type { Transformation } from "../../api/transform.ts";
import { SimpleDateFormat } from "./simple-date-format.ts";

export const TIMESTAMP_ROUTER_CONFIG_DEF: ConfigDef = new ConfigDef()
  .define({
    name: "topic.format",
    type: "string",
    defaultValue: "${topic}-${timestamp}",
    importance: "high",
    documentation: "The new topic name; `${topic}` stands for the record's topic, `${timestamp}` for its timestamp.",
  })
  .define({
    name: "timestamp.format",
    type: "string",
    defaultValue: "yyyyMMdd",
    importance: "high",
    documentation: "How `${timestamp}` is written: a java.text.SimpleDateFormat pattern, in UTC.",
  });

const TOPIC = "${topic}";
const TIMESTAMP = "${timestamp}";

/**
 * Kafka's TimestampRouter: renames the topic from `topic.format`, e.g. `orders-20170103` for the default format. The
 * topic is substituted first and the timestamp second, so (as in Kafka) a `${timestamp}` inside a topic name is
 * substituted too. A record without a timestamp is a data error.
 */
export class TimestampRouter<R extends ConnectRecord = ConnectRecord> implements Transformation<R> {
  private formatParts: readonly string[] = [TOPIC];
  private timestampFormat: SimpleDateFormat | null = null;

  configure(configs: Readonly<Record<string, string>>): void {
    const values = TIMESTAMP_ROUTER_CONFIG_DEF.parse(configs);
    this.formatParts = (values["topic.format"] as string).split(TOPIC);
    const pattern = values["timestamp.format"] as string;
    try {
      this.timestampFormat = new SimpleDateFormat(pattern);
    } catch (error) {
      // Kafka only builds the format for the first record and fails that record; failing configure says it sooner.
      const reason = error instanceof Error ? error.message : String(error);
      throw new ConfigError(`Invalid value ${pattern} for configuration timestamp.format: ${reason}`, {
        key: "timestamp.format",
        cause: error,
      });
    }
  }

  apply(record: R): R {
    const timestamp = record.timestamp;
    if (timestamp === null || timestamp === undefined)
      throw new DataError(
        `Timestamp missing on record: ConnectRecord{topic='${record.topic}', kafkaPartition=${record.kafkaPartition}, timestamp=null}`,
      );
    const format = this.timestampFormat;
    if (format === null) throw new DataError("TimestampRouter is not configured");
    const withTopic =
      this.formatParts.length === 1 ? (this.formatParts[0] as string) : this.formatParts.join(record.topic);
    const topic = withTopic.split(TIMESTAMP).join(format.format(timestamp));
    return { ...record, topic };
  }

  config(): ConfigDef {
    return TIMESTAMP_ROUTER_CONFIG_DEF;
  }

  close(): void {}
}
