/** A promise with its resolve function, and whether it has resolved. */
export interface Deferred {
  readonly promise: Promise<void>;
  readonly resolved: boolean;
  resolve(): void;
}

/** Not Promise.withResolvers: the worker also runs on Node.js 20, which lacks it. */
export function deferred(): Deferred {
  let resolveIt = () => {};
  const promise = new Promise<void>((resolve) => {
    resolveIt = resolve;
  });
  const result = {
    promise,
    resolved: false,
    resolve: () => {
      result.resolved = true;
      resolveIt();
    },
  };
  return result;
}
