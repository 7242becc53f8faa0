/** Where in the pipeline a record failed: Kafka Connect's errors.Stage names (also written to DLQ headers). */
export type Stage =
  | "KEY_CONVERTER"
  | "VALUE_CONVERTER"
  | "HEADER_CONVERTER"
  | "TRANSFORMATION"
  | "TASK_POLL"
  | "TASK_PUT"
  | "KAFKA_PRODUCE"
  | "KAFKA_CONSUME";
