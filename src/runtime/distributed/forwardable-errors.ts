/**
 * What a distributed herder throws when this worker is the wrong one to answer a request (Kafka's
 * RequestTargetException and its kinds) or cannot answer it right now (RebalanceNeededException). The REST layer
 * turns the first kind into a forwarded request (src/rest/middleware/forward-request.ts) and the second into a 409.
 */
import { ConnectError } from "../../api/errors.ts";

/** The request belongs to another worker, reachable at `forwardUrl` (its REST URL; null when not known yet). */
export class RequestTargetError extends ConnectError {
  readonly forwardUrl: string | null;

  constructor(message: string, forwardUrl: string | null, options: { code?: string; cause?: unknown } = {}) {
    super(message, { code: options.code ?? "REQUEST_TARGET", cause: options.cause });
    this.forwardUrl = forwardUrl;
  }
}

/** Only the group's leader may do this (write configurations, task configs, fence zombies). */
export class NotLeaderError extends RequestTargetError {
  constructor(message: string, leaderUrl: string | null, options: { cause?: unknown } = {}) {
    super(message, leaderUrl, { code: "NOT_LEADER", cause: options.cause });
  }

  get leaderUrl(): string | null {
    return this.forwardUrl;
  }
}

/** Only the worker that runs the connector or task may do this (e.g. restart it). */
export class NotAssignedError extends RequestTargetError {
  constructor(message: string, ownerUrl: string | null, options: { cause?: unknown } = {}) {
    super(message, ownerUrl, { code: "NOT_ASSIGNED", cause: options.cause });
  }

  get ownerUrl(): string | null {
    return this.forwardUrl;
  }
}

/** This worker's view of the configuration is stale: a rebalance must run before the request can be answered. */
export class RebalanceNeededError extends ConnectError {
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { code: "REBALANCE_NEEDED", cause: options.cause });
  }
}
