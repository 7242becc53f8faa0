import { ConnectError } from "../../api/errors.ts";

/** A change only the group's leader may make (Kafka's NotLeaderException); the REST layer forwards it there. */
export class NotLeaderError extends ConnectError {
  constructor(
    message: string,
    readonly leaderUrl: string | null,
  ) {
    super(message, { code: "NOT_LEADER" });
  }
}

/** A change only the worker running the connector or task may make (Kafka's NotAssignedException). */
export class NotAssignedError extends ConnectError {
  constructor(
    message: string,
    readonly ownerUrl: string | null,
  ) {
    super(message, { code: "NOT_ASSIGNED" });
  }
}

/** The worker's view of the cluster is being rebuilt (Kafka's RebalanceNeededException): try again shortly. */
export class RebalanceNeededError extends ConnectError {
  constructor(message: string) {
    super(message, { code: "REBALANCE_NEEDED" });
  }
}
