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

/** Runs one step of an offsets request with the connector as the herder knows it then, in the herder's order. */
export type WithConnector = <T>(step: (connector: OffsetsConnector) => T | Promise<T>) => Promise<T>;

/**
 * The same with exactly-once source support (Kafka's DistributedHerder.modifyConnectorOffsets): a source connector's
 * offsets change after a round of zombie fencing, so that no task of it still running somewhere (a worker cut off
 * from the group) commits a transaction with its offsets after the new ones. The checks come first and again after
 * the round, which may have taken a while; the round itself runs outside the herder's order of changes, as Kafka's
 * runs off its herder thread.
 */
export async function modifyConnectorOffsetsAfterFencing(
  offsets: readonly ConnectorOffset[] | null,
  fenceZombies: () => Promise<void>,
  withConnector: WithConnector,
): Promise<{ message: string }> {
  // Only a source connector has transactional producers to fence (a sink's zombies are members of its consumer
  // group, which refuses the change while they live), as Kafka's isSourceConnector decides.
  const answered = await withConnector((connector) => {
    if (connector.type !== "source") return modifyConnectorOffsets(connector, offsets);
    checkOffsetsModifiable(connector, offsets);
    return null;
  });
  if (answered !== null) return answered;
  try {
    await fenceZombies();
  } catch (error) {
    throw new ConnectError("Failed to perform zombie fencing for source connector prior to modifying offsets", {
      cause: error,
    });
  }
  return withConnector((connector) => modifyConnectorOffsets(connector, offsets));
}
