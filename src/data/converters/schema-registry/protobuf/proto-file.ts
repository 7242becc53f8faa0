/**
 * A .proto file as ProtobufData builds one from a Connect schema, and its text as Confluent's ProtobufSchema prints
 * it (ProtobufSchemaUtils' formatter, not normalized): the registry stores and compares that text, so spacing,
 * order and option layout follow Confluent's byte for byte.
 */

export interface ProtoField {
  /** `repeated`, `optional` (proto3 optional), or none; members of a oneof never print one. */
  readonly label?: "repeated" | "optional";
  readonly type: string;
  readonly name: string;
  readonly tag: number;
  /** `(confluent.field_meta)` params, in order. */
  readonly params: readonly (readonly [string, string])[];
}

export interface ProtoOneof {
  readonly name: string;
  readonly fields: ProtoField[];
}

export interface ProtoEnum {
  readonly name: string;
  readonly values: (readonly [string, number])[];
}

export interface ProtoMessage {
  readonly name: string;
  readonly fields: ProtoField[];
  readonly oneofs: ProtoOneof[];
  readonly messages: ProtoMessage[];
  readonly enums: ProtoEnum[];
}

export interface ProtoFile {
  readonly packageName: string | null;
  readonly imports: string[];
  /** File options as `name = value` text, in Confluent's order. */
  readonly options: readonly string[];
  readonly messages: ProtoMessage[];
}

export function newMessage(name: string): ProtoMessage {
  return { name, fields: [], oneofs: [], messages: [], enums: [] };
}

// Confluent writes precision and scale with the value first ("for backward compatibility").
const VALUE_FIRST = new Set(["precision", "scale"]);

function indent(text: string): string {
  const lines = text.split("\n");
  if (lines.length > 1 && lines[lines.length - 1] === "") lines.pop();
  return lines.map((line) => `  ${line}\n`).join("");
}

function quote(text: string): string {
  let out = "";
  for (const c of text) out += ESCAPES[c] ?? c;
  return `"${out}"`;
}

const ESCAPES: Readonly<Record<string, string>> = {
  "\x07": "\\a",
  "\b": "\\b",
  "\f": "\\f",
  "\n": "\\n",
  "\r": "\\r",
  "\t": "\\t",
  "\v": "\\v",
  "\\": "\\\\",
  "'": "\\'",
  '"': '\\"',
};

function fieldMeta(params: readonly (readonly [string, string])[]): string {
  const entries = params.map(([key, value], i) => {
    const pairs = VALUE_FIRST.has(key)
      ? `value: ${quote(value)},\nkey: ${quote(key)}`
      : `key: ${quote(key)},\nvalue: ${quote(value)}`;
    return indent(`{\n${indent(pairs)}}${i < params.length - 1 ? "," : ""}`);
  });
  return `(confluent.field_meta) = {\n${indent(`params: [\n${entries.join("")}]`)}}`;
}

function printField(field: ProtoField, inOneof: boolean): string {
  const label = field.label && !inOneof ? `${field.label} ` : "";
  const options = field.params.length > 0 ? ` [${fieldMeta(field.params)}]` : "";
  return `${label}${field.type} ${field.name} = ${field.tag}${options};\n`;
}

function printEnum(type: ProtoEnum): string {
  let text = `enum ${type.name} {`;
  if (type.values.length > 0) text += "\n";
  for (const [name, tag] of type.values) text += indent(`${name} = ${tag};\n`);
  return `${text}}\n`;
}

function printMessage(type: ProtoMessage): string {
  let text = `message ${type.name} {`;
  if (type.fields.length > 0) {
    text += "\n";
    for (const field of type.fields) text += indent(printField(field, false));
  }
  const oneofs = type.oneofs.filter((o) => o.fields.length > 0);
  if (oneofs.length > 0) {
    text += "\n";
    for (const oneof of oneofs) {
      let body = `oneof ${oneof.name} {\n`;
      for (const field of oneof.fields) body += indent(printField(field, true));
      text += indent(`${body}}\n`);
    }
  }
  if (type.messages.length > 0 || type.enums.length > 0) {
    text += "\n";
    for (const nested of type.messages) text += indent(printMessage(nested));
    for (const nested of type.enums) text += indent(printEnum(nested));
  }
  return `${text}}\n`;
}

/** The file's text, as Confluent's `ProtobufSchema.canonicalString()` prints it. */
export function printProtoFile(file: ProtoFile): string {
  let text = 'syntax = "proto3";\n';
  if (file.packageName !== null) text += `package ${file.packageName};\n`;
  if (file.imports.length > 0) {
    text += "\n";
    for (const name of file.imports) text += `import ${quote(name)};\n`;
  }
  if (file.options.length > 0) {
    text += "\n";
    for (const option of file.options) text += `option ${option};\n`;
  }
  if (file.messages.length > 0) {
    text += "\n";
    for (const message of file.messages) text += printMessage(message);
  }
  return text;
}
