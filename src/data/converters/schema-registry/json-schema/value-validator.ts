import Ajv, { type ErrorObject, type ValidateFunction } from "ajv";
import Ajv2019 from "ajv/dist/2019.js";
import Ajv2020 from "ajv/dist/2020.js";
import { DataError } from "../../../../api/errors.ts";

/**
 * `json.fail.invalid.schema`: a value checked against its JSON Schema, as Confluent's serializer and deserializer do
 * (`JsonSchema.validate`, everit) when the key is true. Ajv compiles each schema once into a function (about 9 ms, 20-40
 * ms for the first); checking a value then costs far less than parsing it (see json-schema-format.ts).
 * `connect.*` and other unknown keywords are ignored (strict off), and `format` is not checked: everit checks
 * date-time, email, hostname, ipv4/6 and uri, which would need ajv-formats.
 */

const OPTIONS = {
  strict: false,
  validateFormats: false,
  validateSchema: false,
  allErrors: false,
  logger: false,
} as const;
let draft7: Ajv | undefined;
let draft2019: Ajv2019 | undefined;
let draft2020: Ajv2020 | undefined;

function dialectOf(document: unknown): string {
  const dialect =
    typeof document === "object" && document !== null ? (document as { $schema?: unknown }).$schema : undefined;
  return typeof dialect === "string" ? dialect : "";
}

function freshAjvFor(document: unknown): Ajv | Ajv2019 | Ajv2020 {
  const dialect = dialectOf(document);
  if (dialect.includes("2019-09")) return new Ajv2019(OPTIONS);
  if (dialect.includes("2020-12")) return new Ajv2020(OPTIONS);
  return new Ajv(OPTIONS);
}

function ajvFor(document: unknown): Ajv | Ajv2019 | Ajv2020 {
  const dialect = dialectOf(document);
  if (dialect.includes("2019-09")) {
    draft2019 ??= new Ajv2019(OPTIONS);
    return draft2019;
  }
  if (dialect.includes("2020-12")) {
    draft2020 ??= new Ajv2020(OPTIONS);
    return draft2020;
  }
  draft7 ??= new Ajv(OPTIONS);
  return draft7;
}

/**
 * A checker for one schema document (its registry text), with the documents its `$ref`s may name (by reference
 * name; those take an Ajv instance of their own). Throws a DataError when the document does not compile.
 */
export function compileValidator(
  schemaText: string,
  references: Readonly<Record<string, string>> = {},
): (value: unknown) => void {
  let document: unknown = JSON.parse(schemaText);
  // Ajv knows no draft-04/06 meta-schema by URL; their keywords are draft 7's for what Connect documents use.
  if (
    typeof document === "object" &&
    document !== null &&
    /draft-0[46]/.test(String((document as { $schema?: unknown }).$schema))
  )
    document = { ...(document as object), $schema: undefined };
  let validate: ValidateFunction;
  try {
    const names = Object.keys(references);
    const ajv = names.length === 0 ? ajvFor(document) : freshAjvFor(document);
    for (const name of names) ajv.addSchema(JSON.parse(references[name] as string), name);
    validate = ajv.compile(document as object);
  } catch (cause) {
    throw new DataError(`JSON Schema cannot be used for validation: ${(cause as Error).message}`, { cause });
  }
  return (value) => {
    if (!validate(value)) throw new DataError(`Validation error in JSON: ${describe(validate.errors ?? [])}`);
  };
}

function describe(errors: readonly ErrorObject[]): string {
  return errors
    .map((error) => `${error.instancePath === "" ? "#" : `#${error.instancePath}`}: ${error.message ?? error.keyword}`)
    .join("; ");
}
