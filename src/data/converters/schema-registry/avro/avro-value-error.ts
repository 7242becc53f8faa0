import { DataError } from "../../../../api/errors.ts";

/**
 * A DataError that learns where it happened as it travels up through nested values: each struct, array or map
 * level adds its step, so the message names the whole path (`address.lines[2]`).
 */
export class AvroValueError extends DataError {
  private readonly steps: string[] = [];

  constructor(
    readonly problem: string,
    options: { cause?: unknown } = {},
  ) {
    super(problem, options);
  }

  /** The error, with one more step (a field name or `[index]`) in front of its path. */
  static at(error: unknown, step: string): AvroValueError {
    let result: AvroValueError;
    if (error instanceof AvroValueError) result = error;
    else if (error instanceof Error) result = new AvroValueError(error.message, { cause: error });
    else result = new AvroValueError(String(error));
    result.steps.unshift(step);
    const path = result.steps.join("").replace(/^\./, "");
    result.message = `${result.problem} (field: "${path}")`;
    return result;
  }
}

export function describe(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (typeof value === "object") return (value as object).constructor?.name ?? "object";
  return typeof value;
}
