import type { ClientSettings } from "./client-config.ts";
import type { RegistrySchema, RegistrySchemaType, SubjectVersion } from "./registry-schema.ts";
import { RestService } from "./rest-service.ts";

/** The registry's answer for a schema: `schemaType` is left out for Avro, `references` when there are none. */
interface SchemaBody {
  readonly schema: string;
  readonly schemaType?: RegistrySchemaType;
  readonly references?: RegistrySchema["references"];
}

interface SubjectVersionBody extends SchemaBody {
  readonly subject: string;
  readonly id: number;
  readonly version: number;
}

/**
 * The calls a registry converter makes, each answer cached as Confluent's CachedSchemaRegistryClient keeps it:
 * schemas by id for good (an id never changes meaning), ids and versions by subject and schema text (up to
 * `max.schemas.per.subject` each), latest versions for `latest.cache.ttl.sec`. Concurrent calls for the same
 * answer share one request.
 */
export class SchemaRegistryClient {
  readonly #rest: RestService;
  readonly #byId: BoundedMap<number, Promise<RegistrySchema>>;
  readonly #ids: BoundedMap<string, Promise<number>>;
  readonly #versions: BoundedMap<string, Promise<number>>;
  readonly #subjectVersions: BoundedMap<string, Promise<SubjectVersion>>;
  readonly #latest: BoundedMap<string, { readonly at: number; readonly answer: Promise<SubjectVersion> }>;

  constructor(
    private readonly settings: ClientSettings,
    rest: RestService = new RestService(settings),
    private readonly now: () => number = Date.now,
  ) {
    this.#rest = rest;
    this.#byId = new BoundedMap(settings.cacheCapacity);
    this.#ids = new BoundedMap(settings.cacheCapacity);
    this.#versions = new BoundedMap(settings.cacheCapacity);
    this.#subjectVersions = new BoundedMap(settings.cacheCapacity);
    this.#latest = new BoundedMap(settings.latestCacheSize);
  }

  /** The schema with a global id (`GET /schemas/ids/{id}`). */
  getSchemaById(id: number): Promise<RegistrySchema> {
    return this.#cached(this.#byId, id, () =>
      this.#rest.request<SchemaBody>("GET", `/schemas/ids/${id}`).then(toRegistrySchema),
    );
  }

  /** Registers a schema under a subject, or finds it there; its id (`POST /subjects/{subject}/versions`). */
  register(subject: string, schema: RegistrySchema, normalize: boolean): Promise<number> {
    return this.#cached(this.#ids, idKey(subject, schema, normalize), () =>
      this.#rest
        .request<{ id: number }>(
          "POST",
          `/subjects/${encodeURIComponent(subject)}/versions${query(normalize)}`,
          body(schema),
        )
        .then((answer) => answer.id),
    );
  }

  /** The id of a schema already registered under a subject, without registering (`POST /subjects/{subject}`). */
  getId(subject: string, schema: RegistrySchema, normalize: boolean): Promise<number> {
    return this.#cached(this.#ids, idKey(subject, schema, normalize), () =>
      this.lookup(subject, schema, normalize).then((found) => found.id),
    );
  }

  /** The version a schema has in a subject (what Connect reads as the schema's version). */
  getVersion(subject: string, schema: RegistrySchema): Promise<number> {
    return this.#cached(this.#versions, idKey(subject, schema, false), () =>
      this.lookup(subject, schema, false).then((found) => found.version),
    );
  }

  /** A subject's version (`GET /subjects/{subject}/versions/{version}`): how references are resolved. */
  getSubjectVersion(subject: string, version: number): Promise<SubjectVersion> {
    return this.#cached(this.#subjectVersions, `${subject}\u0000${version}`, () =>
      this.#rest
        .request<SubjectVersionBody>("GET", `/subjects/${encodeURIComponent(subject)}/versions/${version}`)
        .then(toSubjectVersion),
    );
  }

  /** The latest version of a subject (`GET /subjects/{subject}/versions/latest`), kept `latest.cache.ttl.sec`. */
  getLatest(subject: string): Promise<SubjectVersion> {
    const ttl = this.settings.latestCacheTtlMs;
    const cached = this.#latest.get(subject);
    if (cached !== undefined && (ttl < 0 || this.now() - cached.at < ttl)) return cached.answer;
    const answer = this.#rest
      .request<SubjectVersionBody>("GET", `/subjects/${encodeURIComponent(subject)}/versions/latest`)
      .then(toSubjectVersion);
    this.#latest.set(subject, { at: this.now(), answer });
    answer.catch(() => this.#latest.delete(subject));
    return answer;
  }

  private lookup(subject: string, schema: RegistrySchema, normalize: boolean): Promise<SubjectVersion> {
    return this.#rest
      .request<SubjectVersionBody>("POST", `/subjects/${encodeURIComponent(subject)}${query(normalize)}`, body(schema))
      .then(toSubjectVersion);
  }

  /** A cached answer, or a new request whose failure is not kept (the next call asks again). */
  #cached<K, V>(cache: BoundedMap<K, Promise<V>>, key: K, ask: () => Promise<V>): Promise<V> {
    const cached = cache.get(key);
    if (cached !== undefined) return cached;
    const answer = ask();
    cache.set(key, answer);
    answer.catch(() => cache.delete(key));
    return answer;
  }
}

function query(normalize: boolean): string {
  return normalize ? "?normalize=true" : "";
}

function idKey(subject: string, schema: RegistrySchema, normalize: boolean): string {
  return `${subject}\u0000${schema.schemaType}\u0000${normalize}\u0000${schema.schema}`;
}

/** The request body Confluent's client sends: `schemaType` only for non-Avro schemas, `references` when any. */
function body(schema: RegistrySchema): SchemaBody {
  return {
    schema: schema.schema,
    ...(schema.schemaType === "AVRO" ? {} : { schemaType: schema.schemaType }),
    ...(schema.references.length === 0 ? {} : { references: schema.references }),
  };
}

function toRegistrySchema(answer: SchemaBody): RegistrySchema {
  return { schemaType: answer.schemaType ?? "AVRO", schema: answer.schema, references: answer.references ?? [] };
}

function toSubjectVersion(answer: SubjectVersionBody): SubjectVersion {
  return { subject: answer.subject, id: answer.id, version: answer.version, schema: toRegistrySchema(answer) };
}

/** A map of at most `capacity` entries that forgets the oldest first; 0 or less keeps nothing. */
class BoundedMap<K, V> {
  readonly #entries = new Map<K, V>();

  constructor(private readonly capacity: number) {}

  get(key: K): V | undefined {
    return this.#entries.get(key);
  }

  set(key: K, value: V): void {
    if (this.capacity <= 0) return;
    this.#entries.delete(key);
    this.#entries.set(key, value);
    if (this.#entries.size > this.capacity) this.#entries.delete(this.#entries.keys().next().value as K);
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }
}
