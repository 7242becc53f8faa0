/**
 * Kafka's internal requests between the workers of a cluster, as the distributed herder sees them: which requests
 * it sends the leader (task configurations, a round of zombie fencing), how they are signed (KIP-507), and what
 * it gives the REST layer to verify the ones it receives. The HTTP side (the client, the routes, the HMAC itself)
 * is the REST layer's (src/rest/internal-client.ts, internal-request-signature.ts); whoever assembles the worker
 * hands the herder a LeaderClient, so that the runtime knows nothing of HTTP.
 */
import type { SessionKey } from "../../storage/cluster-config-state.ts";

/** Kafka's default `inter.worker.signature.algorithm` and `inter.worker.verification.algorithms`. */
export const DEFAULT_SIGNATURE_ALGORITHM = "HmacSHA256";

/** The part of the cluster's session key that signs and verifies: its bytes and the key's algorithm. */
export type SigningKey = Pick<SessionKey, "key" | "algorithm">;

/** How one request to the leader is signed. */
export interface RequestSigning {
  /** The session key's bytes; null sends the request unsigned (a group before the `sessioned` protocol). */
  readonly key: Uint8Array | null;
  /** `inter.worker.signature.algorithm`, a Java Mac name (HmacSHA256 by default). */
  readonly signatureAlgorithm: string;
}

/**
 * The requests a worker sends the leader itself (Kafka's DistributedHerder through its RestClient). A request the
 * leader refuses rejects with an error whose `status` is the leader's HTTP status (see refusalStatus); one that
 * never got an answer rejects with an error without it.
 */
export interface LeaderClient {
  /** `POST /connectors/{c}/tasks`: a connector's new task configurations, for the leader to write. */
  sendTaskConfigs(
    leaderUrl: string,
    connector: string,
    configs: readonly Readonly<Record<string, string>>[],
    signing: RequestSigning,
  ): Promise<void>;
  /** `PUT /connectors/{c}/fence`: a round of zombie fencing for a source connector's earlier task generations. */
  requestZombieFencing(leaderUrl: string, connector: string, signing: RequestSigning): Promise<void>;
}

/**
 * How this worker signs a request to the leader: with the session key once the group runs the `sessioned` protocol,
 * unsigned before (no session key exists then).
 */
export function requestSigning(sessioned: boolean, sessionKey: SigningKey | null): RequestSigning {
  return {
    key: sessioned ? (sessionKey?.key ?? null) : null,
    signatureAlgorithm: sessionKey?.algorithm ?? DEFAULT_SIGNATURE_ALGORITHM,
  };
}

/** The leader's HTTP status when it refused a request, or null when the request got no answer. */
export function refusalStatus(error: unknown): number | null {
  const status = (error as { status?: unknown } | null)?.status;
  return typeof status === "number" ? status : null;
}

/** What a distributed worker gives the REST layer to verify internal requests; absent in standalone mode. */
export interface InternalRequestVerification {
  /**
   * Whether requests must be signed: Kafka checks them only once the group runs the `sessioned` protocol (a
   * `compatible` or `eager` group has no session key).
   */
  required(): boolean;
  /** The current session key; null until one has been read from the config topic. */
  sessionKey(): SigningKey | null;
  /** `inter.worker.verification.algorithms`: the MACs accepted, by Java name, compared exactly as Kafka does. */
  readonly algorithms: readonly string[];
}

/** A signature as a request carried it, with the bytes it claims to sign. */
export interface InternalRequestSignature {
  /** The MAC's name as the sender wrote it. */
  readonly algorithm: string;
  readonly signature: Uint8Array;
  readonly body: Uint8Array;
}
