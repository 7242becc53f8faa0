import protobuf from "protobufjs";
import { DataError } from "../../../../api/errors.ts";
import type { ProtoFile } from "./proto-file.ts";
import { newMessage, printProtoFile } from "./proto-file.ts";

/**
 * The imports a Connect-derived schema (and most registry schemas) uses, resolved without network: the
 * google/protobuf well-known types protobufjs ships, and the definitions of google/type/date.proto,
 * google/type/timeofday.proto, confluent/type/decimal.proto and confluent/meta.proto written out here (types and
 * field numbers only).
 */

const TEXTS: Readonly<Record<string, string>> = {
  "google/type/date.proto": `syntax = "proto3";
package google.type;
message Date { int32 year = 1; int32 month = 2; int32 day = 3; }`,
  "google/type/timeofday.proto": `syntax = "proto3";
package google.type;
message TimeOfDay { int32 hours = 1; int32 minutes = 2; int32 seconds = 3; int32 nanos = 4; }`,
  "confluent/type/decimal.proto": `syntax = "proto3";
package confluent.type;
message Decimal { bytes value = 1; uint32 precision = 2; int32 scale = 3; }`,
  // Confluent's meta.proto also extends the descriptor options with these messages (number 1088); protobufjs keeps
  // such options as parsed text, so only the messages are needed.
  "confluent/meta.proto": `syntax = "proto3";
package confluent;
message Meta { string doc = 1; map<string, string> params = 2; repeated string tags = 3; repeated Rule rules = 4; }
message Rule { string name = 1; string doc = 2; string expr = 3; string sql = 4; }`,
};

/** Adds an import's definitions to a root; throws a DataError for a file this format cannot resolve. */
export function addImport(root: protobuf.Root, name: string): void {
  const text = TEXTS[name];
  if (text !== undefined) {
    protobuf.parse(text, root, { keepCase: true });
    return;
  }
  if (name === "google/protobuf/descriptor.proto") return;
  const common = protobuf.common.get(name);
  if (common?.nested) {
    root.addJSON(common.nested);
    return;
  }
  throw new DataError(`Cannot resolve the Protobuf import "${name}": only well-known and Confluent types are bundled`);
}

export const WRAPPER_TYPES = [
  ["DoubleValue", "double"],
  ["FloatValue", "float"],
  ["Int64Value", "int64"],
  ["UInt64Value", "uint64"],
  ["Int32Value", "int32"],
  ["UInt32Value", "uint32"],
  ["BoolValue", "bool"],
  ["StringValue", "string"],
  ["BytesValue", "bytes"],
] as const;

/**
 * google/protobuf/wrappers.proto as Confluent registers it for a Connect primitive at the root (ProtobufData
 * writes the wrapper's own file, as protobuf-java describes it).
 */
export const WRAPPERS_FILE: ProtoFile = {
  packageName: "google.protobuf",
  imports: [],
  options: [
    'java_package = "com.google.protobuf"',
    'java_outer_classname = "WrappersProto"',
    "java_multiple_files = true",
    'go_package = "google.golang.org/protobuf/types/known/wrapperspb"',
    "cc_enable_arenas = true",
    'objc_class_prefix = "GPB"',
    'csharp_namespace = "Google.Protobuf.WellKnownTypes"',
  ],
  messages: WRAPPER_TYPES.map(([name, type]) => {
    const message = newMessage(name);
    message.fields.push({ type, name: "value", tag: 1, params: [] });
    return message;
  }),
};

export const WRAPPERS_TEXT = printProtoFile(WRAPPERS_FILE);
