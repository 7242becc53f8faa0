import { ConfigError, ConnectError } from "../../api/errors.ts";
import type { ConnectorOffset, ConnectorOffsets, OffsetsTarget } from "./connector-offsets.ts";
import {
  alterSinkConnectorOffsets,
  resetSinkConnectorOffsets,
  sinkConnectorOffsets,
} from "./sink-connector-offsets.ts";
import { modifySourceConnectorOffsets, sourceConnectorOffsets } from "./source-connector-offsets.ts";

/** The connector as the herder knows it when an offsets request arrives. */
export interface OffsetsConnector extends OffsetsTarget {
  readonly type: "source" | "sink" | "unknown";
  readonly targetState: "STARTED" | "PAUSED" | "STOPPED";
  readonly taskCount: number;
}

/** GET /connectors/{c}/offsets, in any state (Kafka's Worker.connectorOffsets). */
export function readConnectorOffsets(connector: OffsetsConnector): Promise<ConnectorOffsets> {
  return connector.type === "sink" ? sinkConnectorOffsets(connector) : sourceConnectorOffsets(connector);
}

/**
 * Whether a connector's offsets may be changed now: only a STOPPED connector with no tasks, as Kafka's
 * StandaloneHerder.modifyConnectorOffsetsChecks says (400 otherwise), and a PATCH must name some offsets.
 */
export function checkOffsetsModifiable(connector: OffsetsConnector, offsets: readonly ConnectorOffset[] | null): void {
  if (offsets !== null && offsets.length === 0) {
    throw new ConnectError("The offsets to be altered may not be null or empty");
  }
  if (connector.targetState !== "STOPPED" || connector.taskCount !== 0) {
    throw new ConfigError(
      `Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/${connector.name}/stop' endpoint`,
      { code: "CONNECTOR_NOT_STOPPED" },
    );
  }
}

/** PATCH (`offsets` given) or DELETE (`offsets` null) of a connector's offsets, once checkOffsetsModifiable passes. */
export function modifyConnectorOffsets(
  connector: OffsetsConnector,
  offsets: readonly ConnectorOffset[] | null,
): Promise<{ message: string }> {
  checkOffsetsModifiable(connector, offsets);
  if (connector.type === "sink") {
    return offsets === null ? resetSinkConnectorOffsets(connector) : alterSinkConnectorOffsets(connector, offsets);
  }
  return modifySourceConnectorOffsets(connector, offsets);
}

/**
 * The same for a source connector with exactly-once support (Kafka's DistributedHerder.modifyConnectorOffsets): a
 * round of zombie fencing first, so that no task of it still running somewhere (a worker cut off from the group)
 * commits a transaction with its offsets after the new ones. `current` gives the connector again after the round,
 * which may have taken a while: the checks are made once more.
 */
export async function modifyConnectorOffsetsAfterFencing(
  connector: OffsetsConnector,
  offsets: readonly ConnectorOffset[] | null,
  fenceZombies: () => Promise<void>,
  current: () => OffsetsConnector,
): Promise<{ message: string }> {
  checkOffsetsModifiable(connector, offsets);
  try {
    await fenceZombies();
  } catch (error) {
    throw new ConnectError("Failed to perform zombie fencing for source connector prior to modifying offsets", {
      cause: error,
    });
  }
  return modifyConnectorOffsets(current(), offsets);
}
