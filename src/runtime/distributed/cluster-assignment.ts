/** One round's outcome per member, before it is packed into ExtendedAssignments (Kafka's ClusterAssignment). */
import type { ConnectorTaskId } from "../../common/status.ts";

export interface ClusterAssignment {
  /** Work each member starts this round. */
  readonly newlyAssignedConnectors: Map<string, string[]>;
  readonly newlyAssignedTasks: Map<string, ConnectorTaskId[]>;
  /** Work each member stops this round. */
  readonly newlyRevokedConnectors: Map<string, string[]>;
  readonly newlyRevokedTasks: Map<string, ConnectorTaskId[]>;
  /** Everything each member runs once it has applied this round. */
  readonly allAssignedConnectors: Map<string, string[]>;
  readonly allAssignedTasks: Map<string, ConnectorTaskId[]>;
}
