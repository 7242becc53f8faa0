import { DataError } from "../../../../api/errors.ts";

/**
 * A failure deep in a value, on its way out: each struct, array and map it passes through adds its step, so that the
 * DataError finally thrown names the field path (`order.lines[2].price`) and what was wrong. The try/catch per
 * container costs nothing until something throws.
 */
export class PathFailure extends Error {
  /** Steps from the failure outwards: `.name`, `[3]`, `["key"]`. */
  readonly steps: string[] = [];

  constructor(
    readonly detail: string,
    readonly failureCause?: unknown,
  ) {
    super(detail);
  }
}

export function fail(detail: string, cause?: unknown): never {
  throw new PathFailure(detail, cause);
}

/** Rethrows `error` with one more step, turning any other DataError (a Decimal's, say) into a PathFailure. */
export function addStep(error: unknown, step: string): never {
  const failure =
    error instanceof PathFailure
      ? error
      : error instanceof DataError
        ? new PathFailure(error.message, error)
        : undefined;
  if (failure === undefined) throw error;
  failure.steps.push(step);
  throw failure;
}

export function fieldStep(name: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(name) ? `.${name}` : `[${JSON.stringify(name)}]`;
}

/** The DataError for a failure, `what` saying what was being done. */
export function toDataError(error: unknown, what: string): unknown {
  const failure =
    error instanceof PathFailure
      ? error
      : error instanceof DataError
        ? new PathFailure(error.message, error)
        : undefined;
  if (failure === undefined) return error;
  const path = failure.steps.length === 0 ? "" : ` at ${failure.steps.reverse().join("").replace(/^\./, "")}`;
  return new DataError(`${what}${path}: ${failure.detail}`, { cause: failure.failureCause });
}
