/**
 * The librdkafka symbols sluice calls, opened once through bun:ffi. Signatures follow rdkafka.h (2.15.1); every
 * call here is non-blocking (timeouts of 0) except where a comment says otherwise. Opaque handles stay plain
 * numbers (bun:ffi `Pointer`); struct fields are read with `read.*` at the offsets in `constants.ts`.
 */
import { CString, dlopen, FFIType, type Pointer, ptr as ptrOf, read } from "bun:ffi";
import { librdkafkaPath } from "../native-build.ts";

const { ptr, i32, i64_fast, u64, cstring, void: none } = FFIType;
/** size_t as an argument: bun:ffi takes a number for u64. */
const usize = u64;

const symbols = {
  rd_kafka_version_str: { args: [], returns: cstring },
  rd_kafka_err2str: { args: [i32], returns: cstring },
  rd_kafka_err2name: { args: [i32], returns: cstring },
  rd_kafka_fatal_error: { args: [ptr, ptr, usize], returns: i32 },
  /** Raises a fabricated fatal error (librdkafka's testing API), to exercise fatal-error handling in tests. */
  rd_kafka_test_fatal_error: { args: [ptr, i32, ptr], returns: i32 },
  rd_kafka_error_code: { args: [ptr], returns: i32 },
  rd_kafka_error_string: { args: [ptr], returns: cstring },
  rd_kafka_error_is_fatal: { args: [ptr], returns: i32 },
  rd_kafka_error_is_retriable: { args: [ptr], returns: i32 },
  rd_kafka_error_destroy: { args: [ptr], returns: none },

  rd_kafka_conf_new: { args: [], returns: ptr },
  rd_kafka_conf_destroy: { args: [ptr], returns: none },
  rd_kafka_conf_set: { args: [ptr, ptr, ptr, ptr, usize], returns: i32 },
  rd_kafka_conf_set_events: { args: [ptr, i32], returns: none },
  rd_kafka_new: { args: [i32, ptr, ptr, usize], returns: ptr },
  /** Blocks until librdkafka's threads have stopped: only after the client is idle (flushed / closed). */
  rd_kafka_destroy: { args: [ptr], returns: none },
  rd_kafka_destroy_flags: { args: [ptr, i32], returns: none },
  rd_kafka_set_log_queue: { args: [ptr, ptr], returns: i32 },

  rd_kafka_queue_new: { args: [ptr], returns: ptr },
  rd_kafka_queue_destroy: { args: [ptr], returns: none },
  rd_kafka_queue_get_main: { args: [ptr], returns: ptr },
  rd_kafka_queue_get_consumer: { args: [ptr], returns: ptr },
  rd_kafka_queue_get_partition: { args: [ptr, ptr, i32], returns: ptr },
  rd_kafka_queue_forward: { args: [ptr, ptr], returns: none },
  rd_kafka_queue_io_event_enable: { args: [ptr, i32, ptr, usize], returns: none },
  rd_kafka_queue_poll: { args: [ptr, i32], returns: ptr },

  rd_kafka_event_type: { args: [ptr], returns: i32 },
  rd_kafka_event_destroy: { args: [ptr], returns: none },
  rd_kafka_event_message_array: { args: [ptr, ptr, usize], returns: i64_fast },
  rd_kafka_event_message_next: { args: [ptr], returns: ptr },
  rd_kafka_event_error: { args: [ptr], returns: i32 },
  rd_kafka_event_error_string: { args: [ptr], returns: cstring },
  rd_kafka_event_error_is_fatal: { args: [ptr], returns: i32 },
  rd_kafka_event_opaque: { args: [ptr], returns: ptr },
  rd_kafka_event_log: { args: [ptr, ptr, ptr, ptr], returns: i32 },
  rd_kafka_event_topic_partition_list: { args: [ptr], returns: ptr },
  rd_kafka_event_topic_partition: { args: [ptr], returns: ptr },

  rd_kafka_topic_new: { args: [ptr, ptr, ptr], returns: ptr },
  rd_kafka_topic_destroy: { args: [ptr], returns: none },
  rd_kafka_topic_name: { args: [ptr], returns: ptr },

  rd_kafka_topic_partition_list_new: { args: [i32], returns: ptr },
  rd_kafka_topic_partition_list_destroy: { args: [ptr], returns: none },
  rd_kafka_topic_partition_list_add: { args: [ptr, ptr, i32], returns: ptr },
  rd_kafka_topic_partition_destroy: { args: [ptr], returns: none },

  rd_kafka_produce_batch: { args: [ptr, i32, i32, ptr, i32], returns: i32 },
  rd_kafka_produceva: { args: [ptr, ptr, usize], returns: ptr },
  rd_kafka_outq_len: { args: [ptr], returns: i32 },
  rd_kafka_purge: { args: [ptr, i32], returns: i32 },
  /** Blocks up to its timeout: called once per topic of a transactional producer only (producer.ts). */
  rd_kafka_metadata: { args: [ptr, i32, ptr, ptr, i32], returns: i32 },
  rd_kafka_metadata_destroy: { args: [ptr], returns: none },
  /**
   * KIP-98 transactions. init, commit and abort block up to their timeout; they are called with short slices only
   * (transactions.ts): one that runs out of time is resumed by calling it again.
   */
  rd_kafka_init_transactions: { args: [ptr, i32], returns: ptr },
  rd_kafka_begin_transaction: { args: [ptr], returns: ptr },
  rd_kafka_commit_transaction: { args: [ptr, i32], returns: ptr },
  rd_kafka_abort_transaction: { args: [ptr, i32], returns: ptr },
  rd_kafka_error_txn_requires_abort: { args: [ptr], returns: i32 },

  rd_kafka_subscribe: { args: [ptr, ptr], returns: i32 },
  rd_kafka_unsubscribe: { args: [ptr], returns: i32 },
  /** The group member id, malloc'ed (free with rd_kafka_mem_free); "" when not in the group, null before a join. */
  rd_kafka_memberid: { args: [ptr], returns: ptr },
  rd_kafka_mem_free: { args: [ptr, ptr], returns: none },
  rd_kafka_poll_set_consumer: { args: [ptr], returns: i32 },
  rd_kafka_incremental_assign: { args: [ptr, ptr], returns: ptr },
  rd_kafka_incremental_unassign: { args: [ptr, ptr], returns: ptr },
  rd_kafka_assign: { args: [ptr, ptr], returns: i32 },
  rd_kafka_assignment: { args: [ptr, ptr], returns: i32 },
  /** The application's position (next offset) per partition, past transaction markers too; local, no blocking. */
  rd_kafka_position: { args: [ptr, ptr], returns: i32 },
  /** The low and high watermarks the last fetch response carried; local, no blocking. */
  rd_kafka_get_watermark_offsets: { args: [ptr, ptr, i32, ptr, ptr], returns: i32 },
  rd_kafka_assignment_lost: { args: [ptr], returns: i32 },
  rd_kafka_rebalance_protocol: { args: [ptr], returns: cstring },
  rd_kafka_commit_queue: { args: [ptr, ptr, ptr, ptr, ptr], returns: i32 },
  rd_kafka_pause_partitions: { args: [ptr, ptr], returns: i32 },
  rd_kafka_resume_partitions: { args: [ptr, ptr], returns: i32 },
  /** Called with timeout 0 only: asynchronous, the version barrier is set before it returns. */
  rd_kafka_seek_partitions: { args: [ptr, ptr, i32], returns: ptr },
  rd_kafka_consumer_close_queue: { args: [ptr, ptr], returns: ptr },
  rd_kafka_consumer_closed: { args: [ptr], returns: i32 },
  /** Called with timeout 0 only. */
  rd_kafka_consume_batch_queue: { args: [ptr, i32, ptr, usize], returns: i64_fast },
  rd_kafka_message_destroy: { args: [ptr], returns: none },
  rd_kafka_message_timestamp: { args: [ptr, ptr], returns: i64_fast },
  rd_kafka_message_headers: { args: [ptr, ptr], returns: i32 },
  rd_kafka_header_cnt: { args: [ptr], returns: usize },
  rd_kafka_header_get_all: { args: [ptr, usize, ptr, ptr, ptr], returns: i32 },

  rd_kafka_AdminOptions_new: { args: [ptr, i32], returns: ptr },
  rd_kafka_AdminOptions_destroy: { args: [ptr], returns: none },
  rd_kafka_AdminOptions_set_request_timeout: { args: [ptr, i32, ptr, usize], returns: i32 },
  rd_kafka_AdminOptions_set_operation_timeout: { args: [ptr, i32, ptr, usize], returns: i32 },
  rd_kafka_AdminOptions_set_opaque: { args: [ptr, ptr], returns: none },
  rd_kafka_AdminOptions_set_isolation_level: { args: [ptr, i32], returns: ptr },
  rd_kafka_NewTopic_new: { args: [ptr, i32, i32, ptr, usize], returns: ptr },
  rd_kafka_NewTopic_set_config: { args: [ptr, ptr, ptr], returns: i32 },
  rd_kafka_NewTopic_destroy_array: { args: [ptr, usize], returns: none },
  rd_kafka_CreateTopics: { args: [ptr, ptr, usize, ptr, ptr], returns: none },
  rd_kafka_CreateTopics_result_topics: { args: [ptr, ptr], returns: ptr },
  rd_kafka_DeleteTopic_new: { args: [ptr], returns: ptr },
  rd_kafka_DeleteTopic_destroy_array: { args: [ptr, usize], returns: none },
  rd_kafka_DeleteTopics: { args: [ptr, ptr, usize, ptr, ptr], returns: none },
  rd_kafka_DeleteTopics_result_topics: { args: [ptr, ptr], returns: ptr },
  rd_kafka_topic_result_error: { args: [ptr], returns: i32 },
  rd_kafka_topic_result_error_string: { args: [ptr], returns: cstring },
  rd_kafka_topic_result_name: { args: [ptr], returns: cstring },
  rd_kafka_TopicCollection_of_topic_names: { args: [ptr, usize], returns: ptr },
  rd_kafka_TopicCollection_destroy: { args: [ptr], returns: none },
  rd_kafka_DescribeTopics: { args: [ptr, ptr, ptr, ptr], returns: none },
  rd_kafka_DescribeTopics_result_topics: { args: [ptr, ptr], returns: ptr },
  rd_kafka_TopicDescription_error: { args: [ptr], returns: ptr },
  rd_kafka_TopicDescription_name: { args: [ptr], returns: cstring },
  rd_kafka_TopicDescription_partitions: { args: [ptr, ptr], returns: ptr },
  rd_kafka_TopicPartitionInfo_partition: { args: [ptr], returns: i32 },
  rd_kafka_TopicPartitionInfo_leader: { args: [ptr], returns: ptr },
  rd_kafka_TopicPartitionInfo_isr: { args: [ptr, ptr], returns: ptr },
  rd_kafka_TopicPartitionInfo_replicas: { args: [ptr, ptr], returns: ptr },
  rd_kafka_Node_id: { args: [ptr], returns: i32 },
  rd_kafka_Node_host: { args: [ptr], returns: cstring },
  rd_kafka_Node_port: { args: [ptr], returns: FFIType.u16 },
  rd_kafka_DescribeCluster: { args: [ptr, ptr, ptr], returns: none },
  rd_kafka_DescribeCluster_result_nodes: { args: [ptr, ptr], returns: ptr },
  rd_kafka_DescribeCluster_result_controller: { args: [ptr], returns: ptr },
  rd_kafka_DescribeCluster_result_cluster_id: { args: [ptr], returns: cstring },
  rd_kafka_ConfigResource_new: { args: [i32, ptr], returns: ptr },
  rd_kafka_ConfigResource_destroy_array: { args: [ptr, usize], returns: none },
  rd_kafka_ConfigResource_name: { args: [ptr], returns: cstring },
  rd_kafka_ConfigResource_error: { args: [ptr], returns: i32 },
  rd_kafka_ConfigResource_error_string: { args: [ptr], returns: cstring },
  rd_kafka_ConfigResource_configs: { args: [ptr, ptr], returns: ptr },
  rd_kafka_ConfigEntry_name: { args: [ptr], returns: cstring },
  rd_kafka_ConfigEntry_value: { args: [ptr], returns: cstring },
  rd_kafka_DescribeConfigs: { args: [ptr, ptr, usize, ptr, ptr], returns: none },
  rd_kafka_DescribeConfigs_result_resources: { args: [ptr, ptr], returns: ptr },
  rd_kafka_ListOffsets: { args: [ptr, ptr, ptr, ptr], returns: none },
  rd_kafka_ListOffsets_result_infos: { args: [ptr, ptr], returns: ptr },
  rd_kafka_ListOffsetsResultInfo_topic_partition: { args: [ptr], returns: ptr },
  rd_kafka_ListConsumerGroupOffsets_new: { args: [ptr, ptr], returns: ptr },
  rd_kafka_ListConsumerGroupOffsets_destroy_array: { args: [ptr, usize], returns: none },
  rd_kafka_ListConsumerGroupOffsets: { args: [ptr, ptr, usize, ptr, ptr], returns: none },
  rd_kafka_ListConsumerGroupOffsets_result_groups: { args: [ptr, ptr], returns: ptr },
  rd_kafka_group_result_error: { args: [ptr], returns: ptr },
  rd_kafka_group_result_name: { args: [ptr], returns: cstring },
  rd_kafka_group_result_partitions: { args: [ptr], returns: ptr },
  rd_kafka_AlterConsumerGroupOffsets_new: { args: [ptr, ptr], returns: ptr },
  rd_kafka_AlterConsumerGroupOffsets_destroy_array: { args: [ptr, usize], returns: none },
  rd_kafka_AlterConsumerGroupOffsets: { args: [ptr, ptr, usize, ptr, ptr], returns: none },
  rd_kafka_AlterConsumerGroupOffsets_result_groups: { args: [ptr, ptr], returns: ptr },
  rd_kafka_DeleteConsumerGroupOffsets_new: { args: [ptr, ptr], returns: ptr },
  rd_kafka_DeleteConsumerGroupOffsets_destroy_array: { args: [ptr, usize], returns: none },
  rd_kafka_DeleteConsumerGroupOffsets: { args: [ptr, ptr, usize, ptr, ptr], returns: none },
  rd_kafka_DeleteConsumerGroupOffsets_result_groups: { args: [ptr, ptr], returns: ptr },
  rd_kafka_DeleteGroup_new: { args: [ptr], returns: ptr },
  rd_kafka_DeleteGroup_destroy_array: { args: [ptr, usize], returns: none },
  rd_kafka_DeleteGroups: { args: [ptr, ptr, usize, ptr, ptr], returns: none },
  rd_kafka_DeleteGroups_result_groups: { args: [ptr, ptr], returns: ptr },
} as const;

type RawSymbols = ReturnType<typeof dlopen<typeof symbols>>["symbols"];

/**
 * The symbols with bun:ffi's `bigint` alternative removed from return types: pointers and 64-bit sizes come back as
 * numbers (user-space addresses fit in 53 bits), and the `*_fast` types return numbers when the value does.
 */
export type RdKafka = {
  readonly [K in keyof RawSymbols]: RawSymbols[K] extends (...args: infer A) => infer R
    ? (...args: A) => Exclude<R, bigint>
    : never;
};

let opened: RdKafka | undefined;

/** The librdkafka symbols, opened on first use from `librdkafkaPath()`. */
export function rdkafka(): RdKafka {
  if (opened === undefined) {
    const path = librdkafkaPath();
    try {
      opened = dlopen(path, symbols).symbols as unknown as RdKafka;
    } catch (cause) {
      throw new Error(
        `Cannot load librdkafka from ${path} (build it with \`bun src/cli.ts setup\`, or set SLUICE_LIBRDKAFKA)`,
        { cause },
      );
    }
  }
  return opened;
}

/** librdkafka's version string, e.g. "2.15.1". */
export function librdkafkaVersion(): string {
  return rdkafka().rd_kafka_version_str() ?? "unknown";
}

const encoder = new TextEncoder();

/** A NUL-terminated UTF-8 copy of `s` for a `const char *` argument (librdkafka copies what it keeps). */
export function cstr(s: string): Uint8Array {
  return encoder.encode(`${s}\0`);
}

/** The string at a `const char *`, or null for NULL. */
export function readCString(p: Pointer | number | null): string | null {
  return p ? new CString(p as Pointer).toString() : null;
}

/** An `errstr` buffer for calls that describe their failure in one. */
export function errstrBuffer(): Uint8Array {
  return new Uint8Array(512);
}

/** The NUL-terminated text written into an errstr buffer. */
export function errstrText(buf: Uint8Array): string {
  const end = buf.indexOf(0);
  return new TextDecoder().decode(end < 0 ? buf : buf.subarray(0, end));
}

/** An array of `const char *` pointing into one buffer of NUL-terminated strings; keep both alive for the call. */
export function cstrArray(strings: readonly string[]): { readonly array: BigUint64Array; readonly keep: Uint8Array } {
  const parts = strings.map((s) => cstr(s));
  const keep = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  const array = new BigUint64Array(strings.length);
  let offset = 0;
  const base = keep.length > 0 ? BigInt(ptrOf(keep)) : 0n;
  parts.forEach((part, i) => {
    keep.set(part, offset);
    array[i] = base + BigInt(offset);
    offset += part.length;
  });
  return { array, keep };
}

/** A signed 64-bit field as a number (offsets and timestamps stay far below 2^53). */
export function readI64(p: Pointer | number, offset: number): number {
  return read.i32(p as Pointer, offset + 4) * 4294967296 + read.u32(p as Pointer, offset);
}

/** A NULL-able pointer field as a number (0 for NULL). */
export function readPtr(p: Pointer | number, offset: number): number {
  return read.ptr(p as Pointer, offset);
}

/**
 * Keeps JavaScript-owned memory that a native call reads (through pointers stored elsewhere) reachable until this
 * point, whatever the optimizer concludes about its last use.
 */
export function keepAlive(..._values: unknown[]): void {}
