import type {
  InternalRequestSignature,
  InternalRequestVerification,
} from "../runtime/distributed/internal-requests.ts";
import type { Herder } from "../runtime/herders/herder.ts";
import type { Exposition } from "../runtime/metrics/prometheus-exposition.ts";

/**
 * Kafka's internal requests, which only a distributed herder acts on (src/rest/routes/internal.ts answers them as
 * Kafka's StandaloneHerder does when the herder has no such method).
 */
export interface InternalRequestsHerder {
  /** Another worker's task configurations for a connector, to be written by the leader. */
  putTaskConfigs?(
    connector: string,
    configs: readonly Readonly<Record<string, string>>[],
    signature: InternalRequestSignature | null,
  ): Promise<void>;
  /** A round of zombie fencing for a source connector's tasks, to be run by the leader. */
  fenceZombieSourceTasks?(connector: string, signature: InternalRequestSignature | null): Promise<void>;
}

/** What the routes need from the worker. */
export interface RestContext {
  readonly herder: Herder & InternalRequestsHerder;
  /** sluice's own version (`GET /` reports it as `sluice_version`; its `version` is the Kafka Connect API's). */
  readonly version: string;
  readonly commit: string;
  kafkaClusterId(): string | null;
  /** Resolves once the worker can handle requests (Kafka's Herder.healthCheck); pending while it starts. */
  healthCheck(): Promise<void>;
  /** Whether start-up is over (Kafka's Herder.isReady): tells a worker still starting from a stuck one. */
  isReady(): boolean;
  /** Distributed mode: the session key and algorithms internal requests are verified with. */
  readonly internalRequests?: InternalRequestVerification;
  /** This worker's id (`host:port` of its advertised URL), as statuses name it; the dashboard marks it. */
  readonly workerId?: string;
  /** The worker's metrics in Prometheus' formats (`GET /metrics`); absent: the route answers 404. */
  readonly metrics?: { render(accept: string | undefined): Promise<Exposition> };
}
