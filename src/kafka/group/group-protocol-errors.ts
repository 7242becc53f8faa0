/**
 * Reading Kafka protocol error codes out of @platformatic/kafka's errors (a ResponseError holding ProtocolErrors
 * with `apiCode` / `apiId`), and the codes the group membership client branches on, with the meaning Kafka's
 * AbstractCoordinator gives them.
 */
import { KafkaError } from "../errors.ts";

export const ErrorCodes = {
  NOT_COORDINATOR: 16,
  COORDINATOR_NOT_AVAILABLE: 15,
  COORDINATOR_LOAD_IN_PROGRESS: 14,
  ILLEGAL_GENERATION: 22,
  INCONSISTENT_GROUP_PROTOCOL: 23,
  INVALID_GROUP_ID: 24,
  UNKNOWN_MEMBER_ID: 25,
  INVALID_SESSION_TIMEOUT: 26,
  REBALANCE_IN_PROGRESS: 27,
  GROUP_AUTHORIZATION_FAILED: 30,
  MEMBER_ID_REQUIRED: 79,
  GROUP_MAX_SIZE_REACHED: 81,
} as const;

/** Errors that trying again cannot cure: a wrong configuration or a group used by something else. */
const FATAL: ReadonlySet<number> = new Set([
  ErrorCodes.INCONSISTENT_GROUP_PROTOCOL,
  ErrorCodes.INVALID_GROUP_ID,
  ErrorCodes.INVALID_SESSION_TIMEOUT,
  ErrorCodes.GROUP_AUTHORIZATION_FAILED,
  ErrorCodes.GROUP_MAX_SIZE_REACHED,
]);

/** The coordinator moved or is not ready: find it again. */
const COORDINATOR: ReadonlySet<number> = new Set([
  ErrorCodes.NOT_COORDINATOR,
  ErrorCodes.COORDINATOR_NOT_AVAILABLE,
  ErrorCodes.COORDINATOR_LOAD_IN_PROGRESS,
]);

interface ProtocolErrorLike {
  apiCode?: unknown;
  apiId?: unknown;
  errors?: unknown;
  response?: unknown;
}

/** The first Kafka protocol error in a @platformatic/kafka error, or undefined for network and other errors. */
export function protocolErrorOf(error: unknown): { code: number; name: string } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const candidate = error as ProtocolErrorLike;
  if (typeof candidate.apiCode === "number") {
    return { code: candidate.apiCode, name: typeof candidate.apiId === "string" ? candidate.apiId : "UNKNOWN" };
  }
  if (Array.isArray(candidate.errors)) {
    for (const inner of candidate.errors) {
      const found = protocolErrorOf(inner);
      if (found !== undefined) return found;
    }
  }
  return undefined;
}

/** The response body carried by a ResponseError (JoinGroup's MEMBER_ID_REQUIRED carries the member id to use). */
export function responseOf(error: unknown): Record<string, unknown> | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const response = (error as ProtocolErrorLike).response;
  return typeof response === "object" && response !== null ? (response as Record<string, unknown>) : undefined;
}

export function isFatalGroupError(code: number): boolean {
  return FATAL.has(code);
}

export function isCoordinatorError(code: number): boolean {
  return COORDINATOR.has(code);
}

/** A KafkaError for a failed group call, naming the call and the group. */
export function groupError(call: string, groupId: string, error: unknown): KafkaError {
  const protocol = protocolErrorOf(error);
  const reason = protocol === undefined ? (error instanceof Error ? error.message : String(error)) : protocol.name;
  return new KafkaError(`${call} for Connect group '${groupId}' failed: ${reason}`, {
    errorCode: protocol?.code ?? -195,
    errorName: protocol?.name ?? "_TRANSPORT",
    fatal: protocol !== undefined && isFatalGroupError(protocol.code),
    cause: error,
  });
}
