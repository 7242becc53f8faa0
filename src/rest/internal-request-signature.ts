/**
 * Kafka's signed internal requests (KIP-507): a worker that sends another one task configurations or a fencing
 * request signs the exact body bytes with the cluster's session key (an HMAC kept in the config topic) and sends
 * the Base64 signature in `X-Connect-Authorization` and the MAC's Java name in
 * `X-Connect-Request-Signature-Algorithm`. The receiver recomputes the HMAC with its own copy of the key. The
 * checks, their order, statuses and messages are Kafka's (InternalRequestSignature and
 * DistributedHerder.requestNotSignedProperly), so sluice and Kafka workers can verify each other.
 */
import { createHmac, timingSafeEqual } from "node:crypto";
import type {
  InternalRequestSignature,
  InternalRequestVerification,
} from "../runtime/distributed/internal-requests.ts";
import { RestError } from "./rest-error.ts";

export const SIGNATURE_HEADER = "X-Connect-Authorization";
export const SIGNATURE_ALGORITHM_HEADER = "X-Connect-Request-Signature-Algorithm";
/** Java's Mac names (as the JDK's SunJCE provider offers them, matched regardless of case) → node:crypto digests. */
const MAC_DIGESTS = new Map<string, string>([
  ["hmacmd5", "md5"],
  ["hmacsha1", "sha1"],
  ["hmacsha224", "sha224"],
  ["hmacsha256", "sha256"],
  ["hmacsha384", "sha384"],
  ["hmacsha512", "sha512"],
  ["hmacsha512/224", "sha512-224"],
  ["hmacsha512/256", "sha512-256"],
  ["hmacsha3-224", "sha3-224"],
  ["hmacsha3-256", "sha3-256"],
  ["hmacsha3-384", "sha3-384"],
  ["hmacsha3-512", "sha3-512"],
]);

/** The node:crypto digest for a Java Mac name, or undefined when the JDK would not know it either. */
export function macDigest(algorithm: string): string | undefined {
  return MAC_DIGESTS.get(algorithm.toLowerCase());
}

/** The raw HMAC of `body` under `key`; a 400 when the algorithm is unknown. */
function mac(algorithm: string, key: Uint8Array, body: Uint8Array): Buffer {
  const digest = macDigest(algorithm);
  // The JDK's NoSuchAlgorithmException message, which Kafka passes on as a 400.
  if (digest === undefined) throw new RestError(400, `Algorithm ${algorithm} not available`);
  return createHmac(digest, key).update(body).digest();
}

/** The `X-Connect-Authorization` value for a body: Base64 of its HMAC. */
export function signBody(key: Uint8Array, body: Uint8Array, algorithm: string): string {
  return mac(algorithm, key, body).toString("base64");
}

/** The headers that sign a request body, as Kafka's RestClient adds them. */
export function signatureHeaders(key: Uint8Array, body: Uint8Array, algorithm: string): Record<string, string> {
  return { [SIGNATURE_HEADER]: signBody(key, body, algorithm), [SIGNATURE_ALGORITHM_HEADER]: algorithm };
}

/**
 * Base64 as Java's basic decoder reads it: the standard alphabet only (no whitespace, no URL-safe characters),
 * padding optional; its messages for the common faults.
 */
function decodeBase64(text: string): Uint8Array {
  const illegal = /[^A-Za-z0-9+/=]/.exec(text);
  if (illegal) throw new RestError(400, `Illegal base64 character ${illegal[0].charCodeAt(0).toString(16)}`);
  const data = text.replace(/=+$/, "");
  if (data.includes("=") || text.length - data.length > 2) {
    throw new RestError(400, `Input byte array has incorrect ending byte at ${data.indexOf("=")}`);
  }
  if (data.length % 4 === 1) throw new RestError(400, "Last unit does not have enough valid bits");
  return Buffer.from(data, "base64");
}

/**
 * The signature a request carries, or null when either header is missing (Kafka's InternalRequestSignature
 * .fromHeaders). An algorithm the JDK would not know or a signature that is not Base64 is a 400 already here.
 */
export function signatureFromHeaders(
  header: (name: string) => string | undefined,
  body: Uint8Array,
): InternalRequestSignature | null {
  const algorithm = header(SIGNATURE_ALGORITHM_HEADER);
  const encoded = header(SIGNATURE_HEADER);
  if (algorithm === undefined || encoded === undefined) return null;
  if (macDigest(algorithm) === undefined) throw new RestError(400, `Algorithm ${algorithm} not available`);
  return { algorithm, signature: decodeBase64(encoded), body };
}

/**
 * Throws unless the request is signed with the session key by an accepted algorithm: missing signature and an
 * algorithm outside `inter.worker.verification.algorithms` are 400, no session key yet 503, a wrong signature 403.
 * `required` defaults to whether the group runs the `sessioned` protocol now.
 */
export function verifySignature(
  signature: InternalRequestSignature | null,
  verification: InternalRequestVerification,
  required = verification.required(),
): void {
  if (!required) return;
  if (signature === null) throw new RestError(400, "Internal request missing required signature");
  if (!verification.algorithms.includes(signature.algorithm)) {
    throw new RestError(
      400,
      `This worker does not support the '${signature.algorithm}' key signing algorithm used by other workers. ` +
        `This worker is currently configured to use: [${verification.algorithms.join(", ")}]. ` +
        "Check that all workers' configuration files permit the same set of signature algorithms, " +
        "and correct any misconfigured worker and restart it.",
    );
  }
  const sessionKey = verification.sessionKey();
  if (sessionKey === null) {
    throw new RestError(
      503,
      "This worker is still starting up and has not been able to read a session key from the config topic yet",
    );
  }
  const expected = mac(signature.algorithm, sessionKey.key, signature.body);
  const valid = expected.length === signature.signature.length && timingSafeEqual(expected, signature.signature);
  if (!valid) throw new RestError(403, "Internal request contained invalid signature.");
}
