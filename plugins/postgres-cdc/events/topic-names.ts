/**
 * Debezium's default topic naming (DefaultTopicNamingStrategy): `<topic.prefix>.<schema>.<table>` joined by
 * `topic.delimiter`, any character Kafka does not allow in a topic name replaced by `_`, cut at 249 characters; the
 * record schemas are named after the topic. Heartbeats go to `<topic.heartbeat.prefix>.<topic.prefix>`.
 */
const MAX_NAME_LENGTH = 249;

export function dataChangeTopic(prefix: string, delimiter: string, schema: string, table: string): string {
  return sanitizedTopicName([prefix, schema, table].join(delimiter));
}

export function heartbeatTopic(heartbeatPrefix: string, delimiter: string, prefix: string): string {
  return [heartbeatPrefix, prefix].join(delimiter);
}

export function sanitizedTopicName(name: string): string {
  let sanitized = name.replace(/[^a-zA-Z0-9._-]/g, "_");
  if (sanitized.length > MAX_NAME_LENGTH) sanitized = sanitized.slice(0, MAX_NAME_LENGTH);
  else if (sanitized === ".") sanitized = "_";
  else if (sanitized === "..") sanitized = "__";
  return sanitized;
}
