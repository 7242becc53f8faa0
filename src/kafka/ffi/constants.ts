/** Values and struct layouts from rdkafka.h (librdkafka 2.15.1, x86-64/aarch64 LP64). */

export const RD_KAFKA_PRODUCER = 0;
export const RD_KAFKA_CONSUMER = 1;

export const RD_KAFKA_CONF_OK = 0;
export const RD_KAFKA_CONF_UNKNOWN = -2;

export const EVENT_DR = 0x1;
export const EVENT_FETCH = 0x2;
export const EVENT_LOG = 0x4;
export const EVENT_ERROR = 0x8;
export const EVENT_REBALANCE = 0x10;
export const EVENT_OFFSET_COMMIT = 0x20;
export const EVENT_CREATETOPICS_RESULT = 100;
export const EVENT_DELETETOPICS_RESULT = 101;
export const EVENT_LISTCONSUMERGROUPOFFSETS_RESULT = 0x8000;
export const EVENT_DESCRIBETOPICS_RESULT = 0x100000;
export const EVENT_LISTOFFSETS_RESULT = 0x400000;

export const ADMIN_OP_CREATETOPICS = 1;
export const ADMIN_OP_DELETETOPICS = 2;
export const ADMIN_OP_DESCRIBECONFIGS = 5;
export const ADMIN_OP_DELETEGROUPS = 7;
export const ADMIN_OP_DELETECONSUMERGROUPOFFSETS = 8;
export const ADMIN_OP_LISTCONSUMERGROUPOFFSETS = 14;
export const ADMIN_OP_ALTERCONSUMERGROUPOFFSETS = 15;
export const ADMIN_OP_DESCRIBETOPICS = 19;
export const ADMIN_OP_DESCRIBECLUSTER = 20;
export const ADMIN_OP_LISTOFFSETS = 21;

/** rd_kafka_ResourceType_t RD_KAFKA_RESOURCE_TOPIC. */
export const RESOURCE_TOPIC = 2;

export const PARTITION_UA = -1;
export const MSG_F_PARTITION = 0x8;
export const PURGE_F_QUEUE = 0x1;
export const PURGE_F_INFLIGHT = 0x2;
export const DESTROY_F_NO_CONSUMER_CLOSE = 0x8;

export const OFFSET_INVALID = -1001;
export const OFFSET_SPEC_LATEST = -1;
export const OFFSET_SPEC_EARLIEST = -2;

export const TIMESTAMP_NOT_AVAILABLE = 0;
export const TIMESTAMP_CREATE_TIME = 1;
export const TIMESTAMP_LOG_APPEND_TIME = 2;

/** rd_kafka_vtype_t, for rd_kafka_produceva. */
export const VTYPE_END = 0;
export const VTYPE_RKT = 2;
export const VTYPE_PARTITION = 3;
export const VTYPE_VALUE = 4;
export const VTYPE_KEY = 5;
export const VTYPE_OPAQUE = 6;
export const VTYPE_MSGFLAGS = 7;
export const VTYPE_TIMESTAMP = 8;
export const VTYPE_HEADER = 9;
/** sizeof(rd_kafka_vu_t): an int tag, padding, then a 64-byte union. */
export const VU_SIZE = 72;
export const VU_UNION = 8;

/** rd_kafka_message_t field offsets; sizeof = 72. */
export const MSG_ERR = 0;
export const MSG_RKT = 8;
export const MSG_PARTITION = 16;
export const MSG_PAYLOAD = 24;
export const MSG_LEN = 32;
export const MSG_KEY = 40;
export const MSG_KEY_LEN = 48;
export const MSG_OFFSET = 56;
export const MSG_PRIVATE = 64;
export const MSG_SIZE = 72;

/** rd_kafka_topic_partition_t field offsets; sizeof = 64. */
export const TP_TOPIC = 0;
export const TP_PARTITION = 8;
export const TP_OFFSET = 16;
export const TP_ERR = 48;
export const TP_SIZE = 64;

/** rd_kafka_topic_partition_list_t: int cnt, int size, elems pointer. */
export const TPL_CNT = 0;
export const TPL_ELEMS = 8;

/** rd_kafka_resp_err_t values sluice reacts to. */
export const ERR = {
  NO_ERROR: 0,
  _DESTROY: -197,
  _TRANSPORT: -195,
  _MSG_TIMED_OUT: -192,
  _PARTITION_EOF: -191,
  _UNKNOWN_PARTITION: -190,
  _UNKNOWN_TOPIC: -188,
  _ALL_BROKERS_DOWN: -187,
  _INVALID_ARG: -186,
  _TIMED_OUT: -185,
  _QUEUE_FULL: -184,
  _IN_PROGRESS: -178,
  _ASSIGN_PARTITIONS: -175,
  _REVOKE_PARTITIONS: -174,
  _STATE: -172,
  _NO_OFFSET: -168,
  _PURGE_QUEUE: -152,
  _PURGE_INFLIGHT: -151,
  _FATAL: -150,
  UNKNOWN_TOPIC_OR_PART: 3,
  TOPIC_ALREADY_EXISTS: 36,
  OUT_OF_ORDER_SEQUENCE_NUMBER: 45,
} as const;
