import { describe, expect, test } from "bun:test";
import { ConnectDate } from "../../../../../src/api/date.ts";
import { Decimal } from "../../../../../src/api/decimal.ts";
import { DataError } from "../../../../../src/api/errors.ts";
import { SchemaBuilder, Schemas } from "../../../../../src/api/schema.ts";
import { Time } from "../../../../../src/api/time.ts";
import { Timestamp } from "../../../../../src/api/timestamp.ts";
import { createProtobufFormat } from "../../../../../src/data/converters/schema-registry/protobuf/protobuf-format.ts";

const TAG = "io.confluent.connect.protobuf.Tag";

function protoOf(schema: Parameters<ReturnType<typeof createProtobufFormat>["fromConnectSchema"]>[0], configs = {}) {
  return createProtobufFormat(configs).fromConnectSchema(schema);
}

describe("Connect schema to Confluent's .proto text", () => {
  test("primitives, logical types, arrays, maps and nested structs", () => {
    const inner = SchemaBuilder.struct().name("Inner").field("x", Schemas.INT32).build();
    const schema = SchemaBuilder.struct()
      .field("int8", Schemas.INT8)
      .field("int16", Schemas.OPTIONAL_INT16)
      .field("int32", Schemas.INT32)
      .field("int64", Schemas.INT64)
      .field("float32", Schemas.FLOAT32)
      .field("float64", Schemas.FLOAT64)
      .field("boolean", Schemas.BOOLEAN)
      .field("string", Schemas.STRING)
      .field("bytes", Schemas.BYTES)
      .field("decimal", Decimal.builder(3).parameter("connect.decimal.precision", "8").build())
      .field("date", ConnectDate.SCHEMA)
      .field("time", Time.SCHEMA)
      .field("timestamp", Timestamp.SCHEMA)
      .field("array", SchemaBuilder.array(Schemas.STRING).build())
      .field("map", SchemaBuilder.map(Schemas.STRING, Schemas.INT32).build())
      .field("inner", inner)
      .build();
    const parsed = protoOf(schema);
    expect(parsed.recordName).toBe("ConnectDefault1");
    expect(parsed.registry.schema).toBe(`syntax = "proto3";

import "confluent/type/decimal.proto";
import "google/type/date.proto";
import "google/type/timeofday.proto";
import "google/protobuf/timestamp.proto";

message ConnectDefault1 {
  int32 int8 = 1 [(confluent.field_meta) = {
    params: [
      {
        key: "connect.type",
        value: "int8"
      }
    ]
  }];
  int32 int16 = 2 [(confluent.field_meta) = {
    params: [
      {
        key: "connect.type",
        value: "int16"
      }
    ]
  }];
  int32 int32 = 3;
  int64 int64 = 4;
  float float32 = 5;
  double float64 = 6;
  bool boolean = 7;
  string string = 8;
  bytes bytes = 9;
  confluent.type.Decimal decimal = 10 [(confluent.field_meta) = {
    params: [
      {
        value: "8",
        key: "precision"
      },
      {
        value: "3",
        key: "scale"
      }
    ]
  }];
  google.type.Date date = 11;
  google.type.TimeOfDay time = 12;
  google.protobuf.Timestamp timestamp = 13;
  repeated string array = 14;
  repeated ConnectDefault2Entry map = 15;
  Inner inner = 16;

  message ConnectDefault2Entry {
    string key = 1;
    int32 value = 2;
  }
  message Inner {
    int32 x = 1;
  }
}
`);
  });

  test("a dotted name is the package and message; tags come from the Tag parameter", () => {
    const schema = SchemaBuilder.struct()
      .name("com.acme.Order")
      .field("id", new SchemaBuilder("int64").parameter(TAG, "7").build())
      .field("note", Schemas.OPTIONAL_STRING)
      .build();
    const parsed = protoOf(schema);
    expect(parsed.recordName).toBe("com.acme.Order");
    expect(parsed.registry.schema).toBe(
      'syntax = "proto3";\npackage com.acme;\n\nmessage Order {\n  int64 id = 7;\n  string note = 1;\n}\n',
    );
  });

  test("optional.for.nullables writes proto3 optional; wrapper.for.nullables wrapper messages", () => {
    const schema = SchemaBuilder.struct()
      .name("N")
      .field("a", Schemas.OPTIONAL_STRING)
      .field("b", Schemas.INT32)
      .build();
    expect(protoOf(schema, { "optional.for.nullables": "true" }).registry.schema).toBe(
      'syntax = "proto3";\n\nmessage N {\n  optional string a = 1;\n  int32 b = 2;\n}\n',
    );
    expect(protoOf(schema, { "wrapper.for.nullables": "true" }).registry.schema).toBe(
      'syntax = "proto3";\n\nimport "google/protobuf/wrappers.proto";\n\nmessage N {\n  google.protobuf.StringValue a = 1;\n  int32 b = 2;\n}\n',
    );
  });

  test("a Connect union is a oneof (using up a field number) and an enum a nested enum", () => {
    const union = SchemaBuilder.struct()
      .name("io.confluent.connect.protobuf.Union.choice")
      .field("n", new SchemaBuilder("int32").optional().parameter(TAG, "3").build())
      .field("s", new SchemaBuilder("string").optional().parameter(TAG, "4").build())
      .optional()
      .build();
    const color = new SchemaBuilder("string")
      .name("Color")
      .parameter("io.confluent.connect.protobuf.Enum", "Color")
      .parameter("io.confluent.connect.protobuf.Enum.RED", "0")
      .parameter("io.confluent.connect.protobuf.Enum.BLUE", "1")
      .optional()
      .build();
    const schema = SchemaBuilder.struct().name("U").field("choice_0", union).field("color", color).build();
    expect(protoOf(schema).registry.schema).toBe(`syntax = "proto3";

message U {
  Color color = 2;

  oneof choice {
    int32 n = 3;
    string s = 4;
  }

  enum Color {
    RED = 0;
    BLUE = 1;
  }
}
`);
  });

  test("unnamed structs and maps are ConnectDefault<n> in the order ProtobufData meets them", () => {
    const inner = SchemaBuilder.struct().field("x", Schemas.INT32).build();
    const schema = SchemaBuilder.struct()
      .field("m", SchemaBuilder.map(Schemas.INT32, inner).build())
      .field("inner", inner)
      .build();
    const text = protoOf(schema).registry.schema;
    expect(text).toContain("repeated ConnectDefault2Entry m = 1;");
    expect(text).toContain("ConnectDefault3 value = 2;");
    expect(text).toContain("ConnectDefault4 inner = 2;");
  });

  test("a struct named like its field gets a Message suffix; scrub.invalid.names cleans names", () => {
    const inner = SchemaBuilder.struct().name("inner").field("x", Schemas.INT32).build();
    expect(protoOf(SchemaBuilder.struct().name("R").field("inner", inner).build()).registry.schema).toContain(
      "innerMessage inner = 1;",
    );
    const odd = SchemaBuilder.struct().name("my-record").field("1st field", Schemas.INT32).build();
    const text = protoOf(odd, { "scrub.invalid.names": "true" }).registry.schema;
    expect(text).toContain("message my_record {");
    expect(text).toContain("int32 x1st_field = 1;");
  });

  test("a primitive at the root is google/protobuf/wrappers.proto", () => {
    const parsed = protoOf(Schemas.STRING);
    expect(parsed.recordName).toBe("google.protobuf.StringValue");
    expect(parsed.registry.schema).toStartWith('syntax = "proto3";\npackage google.protobuf;\n\noption java_package');
    expect(() => protoOf(SchemaBuilder.array(Schemas.STRING).build())).toThrow(DataError);
  });

  test("the derived schema is cached per Connect schema object", () => {
    const format = createProtobufFormat({});
    const schema = SchemaBuilder.struct().field("x", Schemas.INT32).build();
    expect(format.fromConnectSchema(schema)).toBe(format.fromConnectSchema(schema));
  });
});
