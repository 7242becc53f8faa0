/**
 * Where sluice's output is known to differ from Kafka's, and why. The differential test still runs these chains
 * and requires each difference to be exactly the one recorded here: a fix, a new difference or a changed one
 * fails the test until this file says so. Entries are removed when sluice is fixed, never to make a test pass.
 *
 * A difference is pinned per chain in one of three ways:
 * - by the signatures of the mismatches it causes (compare.ts signature(): the input offset, the field, and a hash
 *   of both sides' text);
 * - by a digest ("<n> mismatches <hash>", verdict.ts digestOf()) of all the chain's mismatches not pinned one by
 *   one, when there are too many to list;
 * - when it runs through whole outputs (a number form in every record), by a rewrite of Java's key/value text into
 *   what sluice writes instead, after which the rest must match; a rewrite that changes nothing in a listed chain
 *   fails too.
 */

export interface KnownDifference {
  /** What differs, whether it is a bug to fix or a deliberate choice, and a minimal reproduction. */
  reason: string;
  /** The chains it shows in: the mismatch signatures it leaves (none when a rewrite accounts for all), or a digest. */
  chains: Record<string, readonly string[] | string>;
  /** For a difference that runs through whole outputs: Java's key or value text as sluice writes it. */
  rewriteJava?: (text: string) => string;
  /** Only when the reference JVM is older than this feature version (Java's own output changed there). */
  javaBelow?: number;
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    reason: `Schemaless JSON: an integer beyond int64 (18446744073709551616) is read by Kafka with JsonNode.longValue(),
      which wraps silently (to 0 here), and the record goes on; sluice fails the record at VALUE_CONVERTER ("Invalid
      value for INT64: ... is out of range"). Safer, but a difference: fix it or document it as deliberate in the
      README. Reproduction: schemaless JsonConverter, no transforms, value {"x":18446744073709551616}: Kafka writes
      {"x":0}, sluice an error line.`,
    chains: { "passthrough-bad-schemaless": ["@27 record 6efc63605f81"] },
  },
  {
    reason: `float32 printing: sluice prints floats as JDK 19+ does (the shortest text that reads back, JDK-4511638);
      the reference JVM here is JDK 17, whose Float.toString can add a digit: 2^53 as float32 is 9.0071993E15 on JDK
      17 and 9.007199E15 on JDK 19+ and in sluice. Kafka's output depends on the JVM it runs on; not a sluice bug.
      Reproduction: JsonConverter with schemas, value {"schema":{"type":"float","optional":false},
      "payload":9007199254740993}: Kafka on JDK 17 writes 9.0071993E15, sluice 9.007199E15.`,
    javaBelow: 19,
    chains: { "cast-whole-value-schema": ["@80 value d13e980a1bb2"] },
  },
  {
    reason: `MaskField on a Decimal field: Kafka masks it with BigDecimal.ZERO, whose scale is 0, so JsonConverter then
      refuses the record ("Decimal value has mismatching scale for given Decimal schema. Schema has scale 2, value has
      scale 0", stage VALUE_CONVERTER); sluice writes a zero of the schema's scale ("AA==") and the record goes on.
      sluice is kinder, but it differs: match Kafka or document it in the README. Reproduction: JsonConverter with
      schemas, MaskField$Value fields=amount, amount a Decimal with scale 2: Kafka fails every non-tombstone record.`,
    chains: { "maskfield-decimal-schema": "66 mismatches d4c4df8375b3" },
  },
];

/** The known differences that concern one chain, with the reference JVM of this run. */
export function knownFor(chain: string, javaVersion: number): KnownDifference[] {
  return KNOWN_DIFFERENCES.filter(
    (difference) => chain in difference.chains && javaVersion < (difference.javaBelow ?? Number.POSITIVE_INFINITY),
  );
}
