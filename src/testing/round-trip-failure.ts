/**
 * A round trip's finding: what was expected and what arrived, said in the connector's terms. A test failure, not a
 * ConnectError: the plugin did what the runtime allows, only not what its contract asks.
 */
export class RoundTripFailure extends Error {
  override readonly name = "RoundTripFailure";

  constructor(className: string, finding: string, options?: { cause?: unknown }) {
    super(`${className} round trip: ${finding}`, options);
  }
}
