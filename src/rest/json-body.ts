/**
 * Request bodies read as Kafka's Jackson reads them. Where Kafka's entity has a `String` (a configuration value, a
 * connector's name, a log level), Jackson takes a JSON number or boolean as its text, and a number's text is exactly
 * what the client wrote: `1.0` stays "1.0" (which Kafka's ConfigDef then refuses as an INT), `12345678901234567890`
 * keeps every digit, `1e400` is "1e400". JSON.parse alone keeps only the double, so the parse notes each number's
 * source text beside the object or array that holds it, for scalarText to give back.
 */
import { RestError } from "./rest-error.ts";

/** Each parsed number's source text, by the object (or array) holding it and its key there. */
const numberTexts = new WeakMap<object, Map<string, string>>();

/** JSON.parse's reviver context (ES2025, JSON.parse source text access): a primitive's text as written. */
interface ReviverContext {
  readonly source?: string;
}

function noteNumberText(this: object, key: string, value: unknown, context?: ReviverContext): unknown {
  if (typeof value === "number" && context?.source !== undefined) {
    const texts = numberTexts.get(this) ?? new Map<string, string>();
    numberTexts.set(this, texts.set(key, context.source));
  }
  return value;
}

/** Parses a request body; a body that is not JSON is the client's error (400). */
export function parseJsonBody(text: string): unknown {
  try {
    return JSON.parse(text, noteNumberText);
  } catch (error) {
    throw new RestError(400, "Request body is not valid JSON", { cause: error });
  }
}

/**
 * Jackson's reading of `holder[key]` into a `String`: a string as it is, a boolean as "true" / "false", a number
 * as written in the body (String(value) when the value did not come through parseJsonBody), null as null. An object
 * or array is returned as it is, for the schema to refuse (Jackson cannot read one into a String either).
 */
export function scalarText(holder: object, key: string, value: unknown): unknown {
  if (typeof value === "number") return numberTexts.get(holder)?.get(key) ?? String(value);
  if (typeof value === "boolean") return String(value);
  return value;
}
