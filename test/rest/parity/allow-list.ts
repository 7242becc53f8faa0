/**
 * Deliberate differences from Apache Kafka Connect 4.1.1, each with its reason (also in the README's list of
 * differences where a user would notice). A difference listed here is reported as "allowed", not as a failure.
 * Keep this list short: anything else that differs is a bug in sluice, or a step to fix.
 */

export interface Allowance {
  readonly step: string;
  /** The status sluice answers instead of Kafka's, when the difference is the status code. */
  readonly sluiceStatus?: number;
  /** JSON paths (as the report prints them, e.g. `$.connector.version`) where a shape difference is allowed. */
  readonly paths?: readonly string[];
  readonly reason: string;
}

export const ALLOWANCES: readonly Allowance[] = [
  {
    step: "root",
    paths: ["$.sluice_version"],
    reason: "sluice's own version beside Kafka's fields, whose `version` is the Kafka Connect API it serves",
  },
  {
    step: "validate-nested-value",
    sluiceStatus: 400,
    reason:
      "an object or array where Kafka reads a string is the client's error: Jackson's mapping error reaches the generic exception mapper and answers 500",
  },
  {
    step: "create-bad-json",
    sluiceStatus: 400,
    reason:
      "a body that is not JSON is the client's error: Kafka's Jackson parse error reaches the generic exception mapper and answers 500",
  },
  {
    step: "missing-restart",
    sluiceStatus: 404,
    reason:
      "restarting an unknown connector: Kafka 4.1.1 fails with a NullPointerException (500); sluice says not found",
  },
];

export function allowanceFor(step: string): Allowance | undefined {
  return ALLOWANCES.find((a) => a.step === step);
}
