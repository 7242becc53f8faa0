/**
 * What librdkafka's log lines and error events say about reaching the brokers, read from their words: which entries
 * mean "a broker cannot be reached", the part of such a line worth showing a user, and which lines are repeats of
 * one another. Plain TypeScript, so both bindings' loggers and the runtime can use it.
 */
import type { KafkaLogEntry } from "./kafka-log-entry.ts";

/**
 * Error events that say a broker cannot be reached or was lost: a refused, reset or timed-out connection
 * (_TRANSPORT), every known broker down (_ALL_BROKERS_DOWN), a name that does not resolve (_RESOLVE). A broker that
 * answers but refuses us (_SSL, _AUTHENTICATION, ...) is another matter, with its own remedy, and is not one.
 */
const UNREACHABLE_CODES: ReadonlySet<string> = new Set(["_TRANSPORT", "_ALL_BROKERS_DOWN", "_RESOLVE"]);

export function isUnreachableSignal(entry: KafkaLogEntry): boolean {
  return entry.code !== undefined && UNREACHABLE_CODES.has(entry.code);
}

/** librdkafka's suffix on a broker failure: how long the connection lived, and how many identical ones it skipped. */
const TIMING = / \(after \d+ms in state [A-Z_]+(?:, \d+ identical error\(s\) suppressed)?\)/;
/** The thread tag librdkafka puts before a FAIL line's text (`[thrd:127.0.0.1:1/bootstrap]: `). */
const THREAD_TAG = /^\[thrd:[^\]]*\]: /;

/** Words of a FAIL line about the connection itself, not about what the broker said once connected. */
const CONNECTION_WORDS = /Connect to .* failed|Disconnected|Failed to resolve|Connection (?:refused|reset)|timed out/;

/**
 * Whether the entry only says again that brokers cannot be reached: an unreachable signal, or a FAIL line about the
 * connection (a refused or lost one). A TLS, SASL or protocol failure is not one, even while Kafka is unreachable.
 */
export function isConnectionFailure(entry: KafkaLogEntry): boolean {
  return isUnreachableSignal(entry) || (entry.facility === "FAIL" && CONNECTION_WORDS.test(entry.message));
}

/**
 * Why a broker cannot be reached, for a user: a FAIL line's or a _TRANSPORT / _RESOLVE event's text without the
 * thread tag, the timing suffix and the error name (`127.0.0.1:1/bootstrap: Connect to ipv4#127.0.0.1:1 failed:
 * Connection refused`), else null. Any FAIL line is a reason: it is librdkafka's line for a broker connection that
 * failed or was lost, whatever its words; _ALL_BROKERS_DOWN only counts brokers, which says nothing of why.
 */
export function unreachableReason(entry: KafkaLogEntry): string | null {
  if (entry.facility === "FAIL") return entry.message.replace(THREAD_TAG, "").replace(TIMING, "");
  if (entry.code !== "_TRANSPORT" && entry.code !== "_RESOLVE") return null;
  return entry.message.replace(` (${entry.code})`, "").replace(TIMING, "");
}

/**
 * The key under which lines count as repeats of one another: the same client kind, level, facility and text once
 * the counters librdkafka writes into otherwise identical lines are blanked (the timing suffix, `1/1 brokers are
 * down` against `0/1 ...`). Nothing else is blanked, so lines naming another broker, topic or error stay distinct.
 */
export function repeatKey(entry: KafkaLogEntry): string {
  const text = entry.message
    .replace(TIMING, " (after …)")
    .replace(/^\d+\/\d+ brokers are down/, "…/… brokers are down");
  return `${entry.client}\u0000${entry.level}\u0000${entry.facility}\u0000${text}`;
}
