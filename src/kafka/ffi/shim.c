/*
 * Loops that would otherwise cost one bun:ffi call per message field. Compiled at run time by Bun's embedded
 * TinyCC (bun:ffi `cc`), so it uses no headers: the rd_kafka_message_t layout is declared here (rdkafka.h,
 * librdkafka 2.15.1, LP64) and librdkafka's functions are passed in as pointers by sluice_init.
 */
typedef long long i64;
typedef unsigned long long u64;

typedef struct {
  int err;
  void *rkt;
  int partition;
  void *payload;
  u64 len;
  void *key;
  u64 key_len;
  i64 offset;
  void *opaque;
} message_t;

static i64 (*message_timestamp)(const message_t *, int *);
static void (*message_destroy)(message_t *);
static int (*message_headers)(const message_t *, void **);
static u64 (*header_cnt)(const void *);

void sluice_init(void *timestamp_fn, void *destroy_fn, void *headers_fn, void *header_cnt_fn) {
  message_timestamp = timestamp_fn;
  message_destroy = destroy_fn;
  message_headers = headers_fn;
  header_cnt = header_cnt_fn;
}

/* Consumed messages: 11 numbers each (see MESSAGE_FIELDS in shim.ts). Pointers fit in a double's 53 bits. */
void sluice_read_messages(message_t **messages, int n, double *out) {
  int i;
  for (i = 0; i < n; i++) {
    message_t *m = messages[i];
    double *o = out + i * 11;
    int type = 0;
    void *headers = 0;
    o[0] = m->err;
    o[1] = (double)(i64)m->rkt;
    o[2] = m->partition;
    o[3] = (double)(i64)m->payload;
    o[4] = (double)(i64)m->len;
    o[5] = (double)(i64)m->key;
    o[6] = (double)(i64)m->key_len;
    o[7] = (double)m->offset;
    o[8] = (double)message_timestamp(m, &type);
    o[9] = type;
    /* The header count, so that messages without headers (most) need no call to read them. */
    o[10] = message_headers(m, &headers) == 0 ? (double)header_cnt(headers) : 0;
  }
}

/* Delivery reports: 4 numbers each: err, partition, offset, msg_opaque. */
void sluice_read_reports(message_t **messages, int n, double *out) {
  int i;
  for (i = 0; i < n; i++) {
    message_t *m = messages[i];
    double *o = out + i * 4;
    o[0] = m->err;
    o[1] = m->partition;
    o[2] = (double)m->offset;
    o[3] = (double)(i64)m->opaque;
  }
}

void sluice_destroy_messages(message_t **messages, int n) {
  int i;
  for (i = 0; i < n; i++) message_destroy(messages[i]);
}
