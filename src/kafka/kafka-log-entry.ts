/** Where librdkafka's log lines go. Plain TypeScript (no bun:ffi), so `src/kafka/index.ts` can export it anywhere. */

export interface KafkaLogEntry {
  /** syslog level: 0 emergency ... 3 error, 4 warning, 6 info, 7 debug. */
  readonly level: number;
  /** librdkafka's facility (`FAIL`, `REQTMOUT`, ...), or `ERROR` for an error event. */
  readonly facility: string;
  readonly message: string;
  /** Which client: `producer`, `consumer <group.id>`, `admin`. */
  readonly client: string;
  /** An error event's librdkafka error name (`_TRANSPORT`, `_ALL_BROKERS_DOWN`, ...); absent on log lines. */
  readonly code?: string;
}

export type KafkaLogger = (entry: KafkaLogEntry) => void;

/** Prints like librdkafka's own stderr logger does, so nothing is hidden by default. */
export const stderrLogger: KafkaLogger = ({ level, facility, message, client }) => {
  console.error(`%${level}|${facility}|${client}| ${message}`);
};

/** Drops everything (tests that provoke connection failures on purpose). */
export const silentLogger: KafkaLogger = () => {};
