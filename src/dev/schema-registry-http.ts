/**
 * The few requests the registry's manager makes to it: "are you ready?" and "use BACKWARD compatibility".
 */
import { ConnectError } from "../api/errors.ts";

/**
 * True when a Confluent-compatible registry answers `GET <url>/subjects` with 200, the moment it serves clients.
 * Never throws: a refused connection, a timeout or another answer is "no".
 */
export async function isRegistryAnswering(url: string, timeoutMs = 1500): Promise<boolean> {
  try {
    const response = await fetch(`${url}/subjects`, { signal: AbortSignal.timeout(timeoutMs) });
    await response.arrayBuffer();
    return response.status === 200;
  } catch {
    return false;
  }
}

const CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

/**
 * Sets the registry-wide compatibility level. Confluent's server defaults to BACKWARD and converters' users count
 * on it (an incompatible schema is refused with 409); Apicurio's ccompat API defaults to NONE, accepting anything.
 */
export async function setGlobalCompatibility(url: string, level = "BACKWARD"): Promise<void> {
  let detail: string;
  try {
    const response = await fetch(`${url}/config`, {
      method: "PUT",
      headers: { "content-type": CONTENT_TYPE, accept: CONTENT_TYPE },
      body: JSON.stringify({ compatibility: level }),
      signal: AbortSignal.timeout(10_000),
    });
    const body = await response.text();
    if (response.ok) return;
    detail = `HTTP ${response.status}: ${body.slice(0, 500)}`;
  } catch (error) {
    detail = error instanceof Error ? error.message : String(error);
  }
  throw new ConnectError(
    `setting the Schema Registry's global compatibility to ${level} at ${url}/config failed (${detail})`,
    {
      code: "REGISTRY_CONFIG_FAILED",
    },
  );
}
