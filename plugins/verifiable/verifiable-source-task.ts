import {
  AbstractConfig,
  ConnectError,
  IdleTimer,
  NO_HEADERS,
  Schemas,
  type SourceOffset,
  type SourcePartition,
  type SourceRecord,
  SourceTask,
} from "../../src/index.ts";
import { ThroughputThrottle } from "./throughput-throttle.ts";
import {
  ID_CONFIG,
  ID_FIELD,
  SEQNO_FIELD,
  THROUGHPUT_CONFIG,
  TOPIC_CONFIG,
  VERIFIABLE_SOURCE_TASK_CONFIG_DEF,
} from "./verifiable-config.ts";
import { VERIFIABLE_PLUGIN_VERSION } from "./version.ts";

/** Most records one poll returns; only an unpaced task (negative throughput) reaches it. */
const MAX_BATCH = 1000;
/** A poll waits at most this long for its next record, so that the task stays responsive. */
const MAX_WAIT_MS = 1000;

/**
 * Writes an increasing sequence number per task, as Kafka's VerifiableSourceTask: key = the task id (INT32), value =
 * the seqno (INT64), source partition `{"id": <task>}`, offset `{"seqno": <seqno>}`. A restarted task resumes right
 * after its last committed seqno, so what the committed offsets say was produced can be checked against what a sink
 * received. Kafka's task prints a JSON line per record and per acknowledgement; this one logs only where it starts,
 * since its records and offsets say the rest.
 */
export class VerifiableSourceTask extends SourceTask {
  private topic = "";
  private id = 0;
  private partition: SourcePartition = {};
  private seqno = 0;
  private throttle = new ThroughputThrottle(0);
  private readonly idle = new IdleTimer();

  version(): string {
    return VERIFIABLE_PLUGIN_VERSION;
  }

  async start(props: Readonly<Record<string, string>>): Promise<void> {
    const config = new AbstractConfig(VERIFIABLE_SOURCE_TASK_CONFIG_DEF, props);
    this.topic = config.getString(TOPIC_CONFIG);
    this.id = config.getInt(ID_CONFIG);
    this.partition = { [ID_FIELD]: this.id };
    this.seqno = resumeAfter(await this.context.offsetStorageReader.offset(this.partition));
    this.throttle = new ThroughputThrottle(config.getLong(THROUGHPUT_CONFIG));
    console.log(
      `Started VerifiableSourceTask ${props.name ?? ""}-${this.id} producing to topic ${this.topic} resuming from seqno ${this.seqno}`,
    );
  }

  async poll(): Promise<SourceRecord[] | null> {
    if (this.idle.isStopped) return null;
    const delay = this.throttle.delay();
    if (delay > 0 && !(await this.idle.wait(Math.min(delay, MAX_WAIT_MS)))) return null;
    const count = this.throttle.take(MAX_BATCH);
    if (count === 0) return null;
    const records: SourceRecord[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const seqno = this.seqno + i;
      const offset: SourceOffset = { [SEQNO_FIELD]: seqno };
      records[i] = {
        topic: this.topic,
        kafkaPartition: null,
        keySchema: Schemas.INT32,
        key: this.id,
        valueSchema: Schemas.INT64,
        value: seqno,
        timestamp: null,
        headers: NO_HEADERS,
        sourcePartition: this.partition,
        sourceOffset: offset,
      };
    }
    this.seqno += count;
    return records;
  }

  stop(): void {
    this.idle.stop();
  }
}

/** The first seqno to write: one after the last committed, or 0. */
function resumeAfter(offset: SourceOffset | null): number {
  const seqno = offset?.[SEQNO_FIELD] ?? null;
  if (seqno === null) return 0;
  if (typeof seqno !== "number" || !Number.isSafeInteger(seqno) || seqno < 0) {
    throw new ConnectError(
      `Offset ${SEQNO_FIELD} is the incorrect type: expected a non-negative integer, got ${JSON.stringify(seqno)}`,
      { code: "VERIFIABLE_OFFSET_INVALID" },
    );
  }
  return seqno + 1;
}
