/**
 * Where sluice's output is known to differ from Kafka's, and why. The differential test still runs these chains
 * and requires each difference to be exactly the one recorded here: a fix, a new difference or a changed one
 * fails the test until this file says so. Entries are removed when sluice is fixed, never to make a test pass.
 *
 * A difference is pinned either by the mismatch signatures it causes per chain (compare.ts signature(): the input
 * offset, the field, and a hash of both sides' text), or, when it runs through whole outputs (a number form in every
 * record), by a rewrite of Java's key/value text into what sluice writes instead, after which everything else in
 * those chains must match; a rewrite that no longer changes anything in a listed chain fails too.
 */

import { mapNumbers } from "./canonical-json.ts";

export interface KnownDifference {
  /** What differs, whether it is a bug to fix or a deliberate choice, and a minimal reproduction. */
  reason: string;
  /** The chains it shows in, each with the mismatch signatures it leaves (none when a rewrite accounts for all). */
  chains: Record<string, readonly string[]>;
  /** For a difference that runs through whole outputs: Java's key or value text as sluice writes it. */
  rewriteJava?: (text: string) => string;
}

/** `12.0` → `12`, `0.0` → `0`: a Java double with no fraction, as sluice writes the same schemaless value. */
function integralDoublesAsIntegers(text: string): string {
  return mapNumbers(text, (raw) => {
    const integral = /^(-?\d+)\.0$/.exec(raw);
    return integral ? (integral[1] === "-0" ? "0" : (integral[1] as string)) : raw;
  });
}

export const KNOWN_DIFFERENCES: readonly KnownDifference[] = [
  {
    reason: `Schemaless JSON: a number written with a fraction or exponent is a FLOAT64 in Kafka and comes back as
      Java prints a double, so an integral one keeps its ".0" (12.0 stays 12.0, 1.00 becomes 1.0, -0.0 becomes 0.0);
      sluice reads it as a JS number and writes an integer (12, 1, 0). Deliberate per the comment in
      src/data/converters/json-converter.ts ("JS cannot tell 12.0 from 12"), but the issue counts it as a difference.
      Reproduction: value.converter=JsonConverter, value.converter.schemas.enable=false, no transforms, value
      {"x":12.0}: Kafka writes {"x":12.0}, sluice {"x":12}. Schema'd float64 fields are not affected.`,
    chains: { "passthrough-schemaless": [] },
    rewriteJava: integralDoublesAsIntegers,
  },
  {
    reason: `Bug in \`sluice transform\` (src/commands/transform-command.ts): node:readline also ends lines at U+2028 and
      U+2029, which JSON allows unescaped inside strings, so a valid input line is cut in two and the command stops
      with exit code 2 ("not JSON: Unterminated string"); Java's BufferedReader ends lines only at LF, CR and CRLF.
      Reproduction: one input line whose "value" string holds a raw U+2028 character (JSON.stringify leaves it
      unescaped), value.converter=StringConverter: Kafka writes the record back unchanged, sluice exits 2.`,
    chains: {
      "passthrough-unescaped-separators": [
        "run exit code a00b360a5df2",
        "@0 record 1e002e99eb84",
        "@1 record 1e002e99eb84",
        "@2 record 1e002e99eb84",
      ],
    },
  },
];

/** The known differences that concern one chain. */
export function knownFor(chain: string): KnownDifference[] {
  return KNOWN_DIFFERENCES.filter((difference) => chain in difference.chains);
}
