import { ConfigError, DataError } from "../../../api/errors.ts";

/** How a converter names the registry subject a record's schema is registered under (Confluent's SubjectNameStrategy). */
export interface SubjectNameStrategy {
  /** Whether the subject depends on the record's name (a reader then needs the schema before it knows the subject). */
  readonly usesSchema: boolean;
  /** `recordName`: the full name of the record the schema writes (null when it is not a record). */
  subjectName(topic: string, isKey: boolean, recordName: string | null): string;
}

const PACKAGE = "io.confluent.kafka.serializers.subject";

const topicNameStrategy: SubjectNameStrategy = {
  usesSchema: false,
  subjectName: (topic, isKey) => `${topic}${isKey ? "-key" : "-value"}`,
};

const recordNameStrategy = (strategyName: string): SubjectNameStrategy => ({
  usesSchema: true,
  subjectName: (_topic, isKey, name) => recordName(name, isKey, strategyName),
});

const topicRecordNameStrategy = (strategyName: string): SubjectNameStrategy => ({
  usesSchema: true,
  subjectName: (topic, isKey, name) => `${topic}-${recordName(name, isKey, strategyName)}`,
});

/** The record's full name; Confluent's message when the schema is not a record. */
function recordName(name: string | null, isKey: boolean, strategyName: string): string {
  if (name !== null) return name;
  const key = isKey ? "key.subject.name.strategy" : "value.subject.name.strategy";
  throw new DataError(
    `In configuration ${key} = ${strategyName}, the message ${isKey ? "key" : "value"} must only be a record schema`,
  );
}

/** Confluent's three strategies by class name, or by their simple names. */
export function subjectNameStrategy(name: string, key: string): SubjectNameStrategy {
  const simple = name.startsWith(`${PACKAGE}.`) ? name.slice(PACKAGE.length + 1) : name;
  switch (simple) {
    case "TopicNameStrategy":
      return topicNameStrategy;
    case "RecordNameStrategy":
      return recordNameStrategy(`${PACKAGE}.RecordNameStrategy`);
    case "TopicRecordNameStrategy":
      return topicRecordNameStrategy(`${PACKAGE}.TopicRecordNameStrategy`);
    default:
      throw new ConfigError(
        `Invalid value ${name} for configuration ${key}: Class ${name} could not be found (sluice has ${PACKAGE}.TopicNameStrategy, RecordNameStrategy and TopicRecordNameStrategy)`,
        { key },
      );
  }
}
