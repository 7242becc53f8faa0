import { ConfigError, DataError } from "../../../api/errors.ts";
import type { Field, Schema } from "../../../api/schema.ts";
import type { SchemalessMap } from "../../../api/schemaless-map.ts";
import { getOwn } from "../../../api/schemaless-map.ts";
import type { Struct } from "../../../api/struct.ts";
import type { FieldSyntaxVersion } from "./config-keys.ts";
import { requireMapOrNull, requireStructOrNull } from "./requirements.ts";
import { fieldByName, structGet } from "./struct-access.ts";

const BACKTICK = "`";
const DOT = ".";
const BACKSLASH = "\\";
const PURPOSE = "nested field access";

/**
 * A path to one field of a Struct or schemaless map (Kafka's SingleFieldPath, KIP-821). With V1 the whole text is
 * one field name at the root. With V2 dots separate nested steps, and a step wrapped in backticks may contain dots:
 * a backtick closes the step only when a dot or the end of the path follows it, and `\` before such a backtick
 * keeps it as part of the name; a path ending in a dot has a last, empty step.
 */
export class SingleFieldPath {
  readonly version: FieldSyntaxVersion;
  readonly steps: readonly string[];

  /** `configKey` names the configuration the path came from, for the ConfigError of an unclosed backtick. */
  constructor(pathText: string, version: FieldSyntaxVersion, configKey?: string) {
    this.version = version;
    this.steps = Object.freeze(version === "V1" ? [pathText] : parseV2(pathText, configKey));
  }

  /** Whether every step is empty (no field could ever match). */
  isEmpty(): boolean {
    return this.steps.every((step) => step.length === 0);
  }

  /**
   * The field this path names in a struct schema, or null when a step is missing. Looking into a schema that is not
   * a struct fails, as Kafka's `Schema.field(name)` does.
   */
  fieldFrom(schema: Schema | null): Field | null {
    if (schema === null) return null;
    let current = schema;
    const last = this.steps.length - 1;
    for (let i = 0; i < last; i++) {
      const field = fieldByName(requireStructSchema(current), this.steps[i] as string);
      if (field === undefined) return null;
      current = field.schema;
    }
    return last < 0 ? null : (fieldByName(requireStructSchema(current), this.steps[last] as string) ?? null);
  }

  /**
   * The value at this path in a Struct, or null when a step is missing or an intermediate struct is null. Nested
   * structs are read with their defaults; the last step falls back to its default only with `replaceNullWithDefault`.
   * Throws a DataError when an intermediate value is not a Struct.
   */
  valueFromStruct(struct: Struct | null, replaceNullWithDefault = true): unknown {
    if (struct === null) return null;
    let current: Struct = struct;
    const last = this.steps.length - 1;
    for (let i = 0; i < last; i++) {
      const field = fieldByName(current.schema, this.steps[i] as string);
      if (field === undefined) return null;
      const next = requireStructOrNull(structGet(current, field, true), PURPOSE);
      if (next === null) return null;
      current = next;
    }
    if (last < 0) return null;
    const field = fieldByName(current.schema, this.steps[last] as string);
    return field === undefined ? null : structGet(current, field, replaceNullWithDefault);
  }

  /**
   * The value at this path in a schemaless map, or null when absent. Throws a DataError when an intermediate value
   * is not a map.
   */
  valueFromMap(map: SchemalessMap | null): unknown {
    if (map === null) return null;
    let current: SchemalessMap = map;
    const last = this.steps.length - 1;
    for (let i = 0; i < last; i++) {
      const next = requireMapOrNull(getOwn(current, this.steps[i] as string), PURPOSE);
      if (next === null) return null;
      current = next;
    }
    return last < 0 ? null : (getOwn(current, this.steps[last] as string) ?? null);
  }

  equals(other: unknown): boolean {
    return (
      other instanceof SingleFieldPath &&
      other.steps.length === this.steps.length &&
      other.steps.every((step, i) => step === this.steps[i])
    );
  }

  toString(): string {
    return `SingleFieldPath{version=${this.version}, path=${this.steps.join(".")}}`;
  }
}

function requireStructSchema(schema: Schema): Schema {
  if (schema.type !== "struct") throw new DataError("Cannot look up fields on non-struct type");
  return schema;
}

function parseV2(path: string, configKey: string | undefined): string[] {
  const steps: string[] = [];
  let idx = 0;
  while (idx < path.length && idx >= 0) {
    if (path[idx] !== BACKTICK) {
      const start = idx;
      idx = path.indexOf(DOT, idx);
      if (idx >= 0) {
        steps.push(path.slice(start, idx));
        idx++;
      } else {
        steps.push(path.slice(start));
      }
      continue;
    }
    const backtickAt = idx;
    idx++;
    let field = "";
    let start = idx;
    for (;;) {
      idx = path.indexOf(BACKTICK, idx);
      if (idx === -1) throw incompleteBacktickPair(path, backtickAt, configKey);
      const escaped = path[idx - 1] === BACKSLASH;
      if (idx >= path.length - 1) {
        if (escaped) throw incompleteBacktickPair(path, backtickAt, configKey);
        steps.push(field + path.slice(start, idx));
        idx++;
        break;
      }
      if (path[idx + 1] !== DOT) {
        // A backtick inside the name: keep it and look for one that a dot follows.
        idx++;
        continue;
      }
      if (escaped) {
        // `\` + backtick + dot is part of the name; the backslash itself is dropped.
        field += `${path.slice(start, idx - 1)}${BACKTICK}`;
        idx++;
        start = idx;
        continue;
      }
      steps.push(field + path.slice(start, idx));
      idx += 2;
      break;
    }
  }
  if (path.length > 0 && path[path.length - 1] === DOT) steps.push("");
  return steps;
}

function incompleteBacktickPair(path: string, backtickAt: number, configKey: string | undefined): ConfigError {
  return new ConfigError(
    `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${backtickAt} to escape it`,
    { key: configKey },
  );
}
