/**
 * Consumed messages from the binding's objects. The binding already copied every payload into its own Buffer, so
 * the batch owns its bytes and `release()` has nothing to free.
 */
import type { Header, KafkaMessage, MessageBatch } from "../types.ts";
import type { BindingHeader, BindingMessage } from "./binding.ts";

const NO_HEADERS: readonly Header[] = Object.freeze([]);

/** One message; headers are converted from the binding's one-key objects on first read only. */
class NodeMessage implements KafkaMessage {
  readonly topic: string;
  readonly partition: number;
  readonly offset: number;
  readonly key: Uint8Array | null;
  readonly value: Uint8Array | null;
  readonly timestamp: number | null;
  readonly timestampType: KafkaMessage["timestampType"];
  #raw: BindingHeader[] | undefined;
  #headers: readonly Header[] | undefined;

  constructor(message: BindingMessage) {
    this.topic = message.topic;
    this.partition = message.partition;
    this.offset = message.offset;
    const key = message.key;
    this.key = typeof key === "string" ? Buffer.from(key) : (key ?? null);
    this.value = message.value ?? null;
    const timestamp = message.timestamp;
    const known = timestamp !== undefined && timestamp >= 0;
    this.timestamp = known ? timestamp : null;
    // The binding does not pass the timestamp type on; a message with a timestamp is reported as CreateTime
    // (Kafka's default), even on a topic with message.timestamp.type=LogAppendTime.
    this.timestampType = known ? "CreateTime" : "NoTimestampType";
    this.#raw = message.headers;
  }

  get headers(): readonly Header[] {
    if (this.#headers === undefined) {
      const raw = this.#raw;
      this.#headers = raw === undefined || raw.length === 0 ? NO_HEADERS : raw.map(toHeader);
      this.#raw = undefined;
    }
    return this.#headers;
  }
}

/**
 * The binding turns a null header value into an empty Buffer (it copies `value_size` bytes from a NULL pointer),
 * so null and empty header values cannot be told apart here; keys and values keep the difference.
 */
function toHeader(header: BindingHeader): Header {
  for (const key in header) {
    const value = header[key];
    return [key, typeof value === "string" ? Buffer.from(value) : (value ?? null)];
  }
  return ["", null];
}

const EMPTY_BATCH: MessageBatch = Object.freeze({ messages: Object.freeze([]), release() {} });

export function toMessageBatch(messages: readonly BindingMessage[]): MessageBatch {
  if (messages.length === 0) return EMPTY_BATCH;
  const converted = new Array<KafkaMessage>(messages.length);
  for (let i = 0; i < messages.length; i++) converted[i] = new NodeMessage(messages[i] as BindingMessage);
  return { messages: converted, release() {} };
}
