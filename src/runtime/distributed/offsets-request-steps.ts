/**
 * How each step of a PATCH / DELETE of a connector's offsets runs on a distributed worker's leader, as Kafka's
 * DistributedHerder.modifyConnectorOffsetsChecks and its herder thread make it: the config topic is read to its end
 * first (so a STOPPED target state written just before, by this worker or another, is seen), then the step waits for
 * the changes queued before it (the stop of a stopped connector's tasks, with their last offset commit) and sees the
 * connector as the herder knows it then.
 */
import { ConnectError } from "../../api/errors.ts";
import type { SerialQueue } from "../herders/serial-queue.ts";
import type { OffsetsConnector, WithConnector } from "../offsets/offsets-requests.ts";

export interface OffsetsRequestHost {
  /** Throws the error that forwards the request when this worker does not lead. */
  requireLeader(): void;
  /** Reads the config topic to its end. */
  refresh(): Promise<void>;
  /** The herder's one queue of changes. */
  readonly changes: Pick<SerialQueue, "runForCaller">;
  /** The connector as the herder knows it now (NotFoundError when it has none of that name). */
  connector(): OffsetsConnector;
}

export function offsetsRequestSteps(host: OffsetsRequestHost): WithConnector {
  return async (step) => {
    host.requireLeader();
    try {
      await host.refresh();
    } catch (error) {
      // Kafka's words when its refreshConfigSnapshot fails here: a 500, the request may be sent again.
      throw new ConnectError("Failed to read to end of config topic before modifying connector offsets", {
        cause: error,
      });
    }
    return host.changes.runForCaller(async () => {
      // Leadership may have moved while the queue drained.
      host.requireLeader();
      return step(host.connector());
    });
  };
}
