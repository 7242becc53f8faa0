/**
 * fast-check generators for the fast path's differential tests: JSON records written the awkward ways producers
 * write them (whitespace, escapes, every number spelling, duplicate and array-index keys, `__proto__`, supplementary
 * characters, invalid bytes), and chains of the transforms the fast path covers, over the same small pool of names
 * so that casts, exclusions and renames hit real fields.
 */
import fc from "fast-check";

/** Field names the records use and the chains name: nested, dotted, array indexes, odd ones. */
export const NAMES = ["a", "b", "c", "a.b", "b.c", "a_b", "1", "2", "01", "10", "__proto__", "", "é", "x y", "id"];

/** Number spellings whose value or text the converter treats specially. */
const NUMBER_SPECIALS = [
  "0",
  "-0",
  "0.0",
  "-0.0",
  "12.0",
  "12.50",
  "1e3",
  "1E-3",
  "1.5e2",
  "0.001",
  "0.0001",
  "-0.001",
  "1234567.5",
  "9999999.99",
  "12345678.5",
  "0.1",
  "123456789012345",
  "-123456789012345",
  "1234567890123456",
  "12345678901234567890",
  "9007199254740993",
  "0.12345678901234567",
  "1e400",
  "-1e-400",
  "5e-324",
  "1.7976931348623157e308",
  "007",
  "-01",
  "1.",
  ".5",
  "+1",
  "2147483648",
  "-2147483649",
  "127",
  "128",
  "32768",
];

const CAST_TEXT = "42 +0042 -0 -7 +-1 - ٣ 12a 2147483648 -2147483649 127 -129 32768 1.5 1e3 NaN true TRUE x".split(" ");

const numberText = fc.oneof(
  fc.integer({ min: -1_000_000, max: 1_000_000 }).map(String),
  fc.constantFrom(...NUMBER_SPECIALS),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((d) => JSON.stringify(d)),
  fc
    .tuple(fc.integer({ min: -9_999_999, max: 9_999_999 }), fc.nat({ max: 99_999 }), fc.nat({ max: 3 }))
    .map(([whole, fraction, zeros]) => `${whole}.${"0".repeat(zeros)}${fraction}`),
  fc.tuple(fc.integer({ min: -99, max: 99 }), fc.integer({ min: -30, max: 30 })).map(([m, e]) => `${m}e${e}`),
);

/** Some characters as `\uXXXX` escapes (either case), some slashes as `\/`. */
function escapeSome(text: string, seed: number): string {
  let out = "";
  let i = 0;
  for (const c of text) {
    i++;
    const code = c.codePointAt(0) as number;
    if ((seed + i) % 3 === 0 && code < 0x10000) {
      const hex = code.toString(16).padStart(4, "0");
      out += `\\u${(seed + i) % 2 ? hex : hex.toUpperCase()}`;
    } else if (c === "/" && seed % 2) out += "\\/";
    else out += JSON.stringify(c).slice(1, -1);
  }
  return `"${out}"`;
}

const stringText = fc.oneof(
  fc.string({ maxLength: 8 }).map((s) => JSON.stringify(s)),
  fc.string({ unit: "binary", maxLength: 6 }).map((s) => JSON.stringify(s)),
  fc
    .constantFrom("é", "日本", "😀", "a/b", '"', "\\", "\n", "\u2028", "\u007f", "1234567890123456")
    .map((s) => JSON.stringify(s)),
  fc.tuple(fc.string({ unit: "binary", maxLength: 6 }), fc.nat()).map(([s, seed]) => escapeSome(s, seed)),
  // Text that Cast parses as numbers or booleans, in range or not.
  fc.constantFrom(...CAST_TEXT).map((s) => JSON.stringify(s)),
);

const keyText = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...NAMES).map((k) => JSON.stringify(k)) },
  { weight: 1, arbitrary: fc.constantFrom('"\\u0061"', '"a\\/b"', '"\\u00e9"', '"\\"q"') },
  { weight: 1, arbitrary: stringText },
);

/** Whitespace JSON allows between tokens; mostly none, as JsonConverter writes. */
const space = fc.constantFrom("", "", "", "", " ", "\n", "\t ", "\r\n  ");

function members(pairs: readonly [string, string, string][], open: string, close: string): string {
  return `${open}${pairs.map(([s, k, v]) => `${s}${k}${s}:${v}`).join(",")}${close}`;
}

/** Objects inside arrays, with keys JS reorders (array indexes) or collapses (duplicates) when it parses them. */
const smallObjects = fc
  .array(fc.array(fc.tuple(fc.constantFrom('"a"', '"b"', '"1"', '"2"', '"10"'), numberText), { maxLength: 4 }), {
    minLength: 1,
    maxLength: 3,
  })
  .map((objects) => `[${objects.map((pairs) => `{${pairs.map(([k, v]) => `${k}:${v}`).join(",")}}`).join(",")}]`);

const { value: valueText, object: objectText } = fc.letrec<{ value: string; object: string; array: string }>((tie) => ({
  value: fc.oneof(
    { depthSize: "small", withCrossShrink: true },
    numberText,
    stringText,
    fc.constantFrom("true", "false", "null"),
    smallObjects,
    tie("array"),
    tie("object"),
  ),
  array: fc
    .tuple(fc.array(fc.tuple(space, tie("value")), { maxLength: 4 }), space)
    .map(([items, s]) => `[${items.map(([w, v]) => `${w}${v}`).join(",")}${s}]`),
  object: fc
    .tuple(fc.array(fc.tuple(space, keyText, tie("value")), { maxLength: 5 }), space)
    .map(([pairs, s]) => members(pairs, "{", `${s}}`)),
}));

/** A record's text: an object (mostly) whose values nest objects and arrays. */
export const recordText: fc.Arbitrary<string> = fc
  .tuple(space, fc.oneof({ weight: 8, arbitrary: objectText }, { weight: 1, arbitrary: valueText }), space)
  .map(([before, text, after]) => `${before}${text}${after}`);

const encoder = new TextEncoder();

/** A record's bytes: its text in UTF-8, now and then damaged (a byte replaced, the end cut off, a BOM in front). */
export const recordBytes: fc.Arbitrary<Uint8Array | null> = fc.oneof(
  { weight: 12, arbitrary: recordText.map((t) => encoder.encode(t)) },
  {
    weight: 2,
    arbitrary: fc
      .tuple(recordText, fc.nat(), fc.constantFrom(0xff, 0xc0, 0x80, 0xed, 0x00, 0x22, 0x5c, 0x7d))
      .map(([t, at, byte]) => {
        const bytes = encoder.encode(t);
        if (bytes.length > 0) bytes[at % bytes.length] = byte;
        return bytes;
      }),
  },
  {
    weight: 1,
    arbitrary: fc.tuple(recordText, fc.nat()).map(([t, at]) => encoder.encode(t).slice(0, at % (t.length + 1))),
  },
  { weight: 1, arbitrary: recordText.map((t) => encoder.encode(`\ufeff${t}`)) },
  { weight: 1, arbitrary: fc.constant(null) },
);

const name = fc.constantFrom(...NAMES.filter((n) => n !== "" && !n.includes(" ")));
const castType = fc.constantFrom("int8", "int16", "int32", "int64", "float32", "float64", "boolean", "string");

type Stage = Readonly<Record<string, string>>;

const stage: fc.Arbitrary<Stage> = fc.oneof(
  fc.constantFrom(".", "_", "", "->").map((delimiter) => ({ type: "Flatten$Value", delimiter })),
  fc
    .tuple(fc.array(fc.tuple(name, castType), { minLength: 1, maxLength: 3 }), fc.constantFrom("V1", "V2"))
    .map(([casts, version]) => ({
      type: "org.apache.kafka.connect.transforms.Cast$Value",
      spec: casts.map(([field, type]) => `${field}:${type}`).join(","),
      "field.syntax.version": version,
    })),
  fc
    .tuple(
      fc.array(name, { maxLength: 2 }),
      fc.array(name, { maxLength: 3 }),
      fc.array(fc.tuple(name, name), { maxLength: 2 }),
    )
    .map(([exclude, include, renames]) => ({
      type: "ReplaceField$Value",
      exclude: exclude.join(","),
      include: include.join(","),
      renames: renames.map(([from, to]) => `${from}:${to}`).join(","),
    })),
  fc.constant({ type: "io.confluent.connect.transforms.Drop$Value" }),
);

/** A connector configuration with `transforms=t0,t1,...`, Flatten usually first. */
export const chainConfig: fc.Arbitrary<Record<string, string>> = fc
  .tuple(fc.boolean(), fc.array(stage, { maxLength: 3 }))
  .map(([flattenFirst, stages]) => {
    const all = flattenFirst ? [{ type: "org.apache.kafka.connect.transforms.Flatten$Value" }, ...stages] : stages;
    const config: Record<string, string> = { transforms: all.map((_, i) => `t${i}`).join(",") };
    all.forEach((s, i) => {
      for (const [key, value] of Object.entries(s)) config[`transforms.t${i}.${key}`] = value;
    });
    return config;
  });
