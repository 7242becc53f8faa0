import type { ConfigDef } from "../../../api/config-def.ts";
import type { Converter } from "../../../api/converter.ts";
import { ConnectError, ConversionPending, DataError, RetriableError } from "../../../api/errors.ts";
import type { Headers } from "../../../api/headers.ts";
import type { Schema, SchemaAndValue } from "../../../api/schema.ts";
import { SchemaRegistryClient } from "../../../schema-registry/schema-registry-client.ts";
import { LruCache } from "../lru-cache.ts";
import {
  type RegistrySerdeSettings,
  registryConverterConfigDef,
  registrySerdeSettings,
} from "./registry-converter-config.ts";
import type { ParsedSchema, RegistrySchema, SchemaFormat } from "./schema-format.ts";
import { frame, HEADER_SIZE, schemaIdOf } from "./wire-format.ts";

/** Where a value is written to: its schema as the registry holds it, and its id. */
interface Target<P> {
  readonly parsed: P;
  readonly id: number;
}

/** A value's schema as the converter read it from the registry, and its version in the record's subject. */
interface Reader<P> {
  readonly parsed: P;
  readonly version: number;
}

/** What `configure` sets up. */
interface Configured<P extends ParsedSchema> {
  readonly settings: RegistrySerdeSettings;
  readonly client: SchemaRegistryClient;
  readonly format: SchemaFormat<P>;
}

const NULL: SchemaAndValue = Object.freeze({ schema: null, value: null });
/** The cache key of a value without a Connect schema. */
const NO_SCHEMA: object = Object.freeze({});

/**
 * Confluent's registry converters (AvroConverter, ProtobufConverter, JsonSchemaConverter), one class over a schema
 * format. Writing: the format derives the registry schema of the record's Connect schema; the converter registers it
 * under the subject its strategy names (`auto.register.schemas`), looks it up, or takes the subject's latest version
 * (`use.latest.version`), and frames the format's body with the schema id. Reading: the schema id names the writer's
 * schema, fetched once, and the record's subject gives its version (Connect's schema version).
 *
 * Converters are synchronous, the registry is not: a schema or id the converter does not hold yet throws
 * ConversionPending, which the runtime awaits before calling again. Everything learned is cached, so a converter
 * that has seen a schema converts without I/O. A registry that cannot be reached makes the wait reject with a
 * retriable error: the runtime retries the record as Kafka retries a converter's RetriableException.
 */
export class RegistryConverter<P extends ParsedSchema> implements Converter {
  #isKey = false;
  #state: Configured<P> | undefined;
  /**
   * Per topic (the subject may name it): Connect schema object → target, and derived schema text → target. Bounded
   * like Confluent's caches, by `max.schemas.per.subject` (texts per topic, topics, ids, readers).
   */
  #targets = new LruCache<string, { byObject: WeakMap<object, Target<P>>; byText: LruCache<string, Target<P>> }>(0);
  #parsedById = new LruCache<number, P>(0);
  /** Per subject, by schema id: no key is built per record. */
  #readers = new LruCache<string, Map<number, Reader<P>>>(0);
  #topicSubjects = new LruCache<string, string>(0);

  constructor(
    readonly formatName: string,
    private readonly createFormat: (configs: Readonly<Record<string, string>>) => SchemaFormat<P>,
    private readonly formatConfigDef: ConfigDef,
  ) {}

  configure(configs: Readonly<Record<string, string>>, isKey: boolean): void {
    this.#isKey = isKey;
    const settings = registrySerdeSettings(configs, isKey);
    this.#state = { settings, client: new SchemaRegistryClient(settings.client), format: this.createFormat(configs) };
    // At least one entry: a converter that keeps nothing would wait for the registry again at every call.
    const capacity = Math.max(1, settings.client.cacheCapacity);
    this.#targets = new LruCache(capacity);
    this.#parsedById = new LruCache(capacity);
    this.#readers = new LruCache(capacity);
    this.#topicSubjects = new LruCache(capacity);
  }

  config(): ConfigDef {
    return registryConverterConfigDef(this.formatConfigDef);
  }

  fromConnectData(topic: string, _headers: Headers, schema: Schema | null, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) return null;
    const state = this.#configured();
    const target = this.#target(state, topic, schema);
    return frame(target.id, state.format.serialize(target.parsed, schema, value));
  }

  toConnectData(topic: string, _headers: Headers, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return NULL;
    const { settings, client, format } = this.#configured();
    const id = schemaIdOf(bytes);
    const parsed = this.#parsedById.get(id);
    if (parsed === undefined) {
      const work = client.getSchemaById(id).then(async (schema) => {
        this.#parsedById.set(id, format.parse(schema, await referencedSchemas(client, schema)));
      });
      throw this.#pending(work, `schema id ${id} from the Schema Registry`, topic, false);
    }
    const body = bytes.subarray(HEADER_SIZE);
    const subject = settings.strategy.usesSchema
      ? // A record strategy names the subject after the record the body holds (a Protobuf schema may hold several).
        settings.strategy.subjectName(topic, this.#isKey, format.recordNameOf?.(parsed, body) ?? parsed.recordName)
      : this.#topicSubject(settings, topic);
    let readers = this.#readers.get(subject);
    if (readers === undefined) {
      readers = new Map();
      this.#readers.set(subject, readers);
    }
    const reader = readers.get(id);
    if (reader === undefined) {
      const known = readers;
      const work = client.getVersion(subject, parsed.registry).then((version) => {
        known.set(id, { parsed, version });
      });
      throw this.#pending(work, `the version of schema id ${id} in subject ${subject}`, topic, false);
    }
    try {
      return format.deserialize(reader.parsed, body, reader.version);
    } catch (error) {
      throw new DataError(
        `Failed to deserialize data for topic ${topic} to ${this.formatName} (schema id ${id}): ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
  }

  /**
   * The wait for a registry answer; its failure says what was being converted, as Confluent's converters do, and
   * stays retriable when the registry could not be reached (the runtime then retries the record).
   */
  #pending(work: Promise<void>, what: string, topic: string, writing: boolean): ConversionPending {
    const failed = work.catch((error: unknown) => {
      const action = writing
        ? `serialize ${this.formatName} data for topic ${topic}`
        : `deserialize data for topic ${topic} to ${this.formatName}`;
      const message = `Failed to ${action}: ${error instanceof Error ? error.message : String(error)}`;
      throw error instanceof ConnectError && error.retriable
        ? new RetriableError(message, { code: "SCHEMA_REGISTRY_UNAVAILABLE", cause: error })
        : new DataError(message, { cause: error });
    });
    return new ConversionPending(failed, what);
  }

  /** The subject of a topic under a strategy that does not look at the record, made once per topic. */
  #topicSubject(settings: RegistrySerdeSettings, topic: string): string {
    let subject = this.#topicSubjects.get(topic);
    if (subject === undefined) {
      subject = settings.strategy.subjectName(topic, this.#isKey, null);
      this.#topicSubjects.set(topic, subject);
    }
    return subject;
  }

  #configured(): Configured<P> {
    if (this.#state === undefined) throw new DataError(`${this.formatName} converter used before configure`);
    return this.#state;
  }

  /** The target of a Connect schema on a topic, from the caches; ConversionPending while the registry is asked. */
  #target(state: Configured<P>, topic: string, schema: Schema | null): Target<P> {
    let targets = this.#targets.get(topic);
    if (targets === undefined) {
      targets = { byObject: new WeakMap(), byText: new LruCache(Math.max(1, state.settings.client.cacheCapacity)) };
      this.#targets.set(topic, targets);
    }
    const objectKey = schema ?? NO_SCHEMA;
    const known = targets.byObject.get(objectKey);
    if (known !== undefined) return known;
    // A connector may build equal schemas as new objects: the derived schema's text finds them.
    const derived = state.format.fromConnectSchema(schema);
    const text = derived.registry.schema;
    const byText = targets.byText.get(text);
    if (byText !== undefined) {
      targets.byObject.set(objectKey, byText);
      return byText;
    }
    const subject = state.settings.strategy.subjectName(topic, this.#isKey, derived.recordName);
    const found = targets;
    const work = this.#resolve(state, subject, derived).then((target) => {
      found.byText.set(text, target);
      found.byObject.set(objectKey, target);
    });
    throw this.#pending(work, `the schema id of subject ${subject}`, topic, true);
  }

  /** Confluent's serializer: a fixed id, the latest version, a registration, or a lookup. */
  async #resolve({ settings, client, format }: Configured<P>, subject: string, derived: P): Promise<Target<P>> {
    if (settings.useSchemaId >= 0) {
      const schema = await client.getSchemaById(settings.useSchemaId);
      return { parsed: format.parse(schema, await referencedSchemas(client, schema)), id: settings.useSchemaId };
    }
    if (settings.useLatestVersion) {
      const latest = await client.getLatest(subject);
      const parsed = format.parse(latest.schema, await referencedSchemas(client, latest.schema));
      if (settings.latestCompatibilityStrict && format.compatibilityErrors !== undefined) {
        const errors = format.compatibilityErrors(parsed, derived);
        if (errors.length > 0) {
          throw new DataError(
            `Incompatible schema: the latest version ${latest.version} of subject ${subject} cannot read the record's schema (latest.compatibility.strict=true): ${errors.join("; ")}`,
          );
        }
      }
      return { parsed, id: latest.id };
    }
    const id = settings.autoRegister
      ? await client.register(subject, derived.registry, settings.normalize)
      : await client.getId(subject, derived.registry, settings.normalize);
    return { parsed: derived, id };
  }
}

/** The text of every schema `schema` refers to, directly or through others, by reference name. */
async function referencedSchemas(client: SchemaRegistryClient, schema: RegistrySchema): Promise<Map<string, string>> {
  const found = new Map<string, string>();
  const visit = async (references: RegistrySchema["references"]): Promise<void> => {
    for (const reference of references) {
      if (found.has(reference.name)) continue;
      const referenced = await client.getSubjectVersion(reference.subject, reference.version);
      found.set(reference.name, referenced.schema.schema);
      await visit(referenced.schema.references);
    }
  };
  await visit(schema.references);
  return found;
}
