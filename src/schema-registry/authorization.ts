import { ConnectError } from "../api/errors.ts";
import type { Credentials } from "./client-config.ts";
import { SchemaRegistryError } from "./schema-registry-error.ts";

/**
 * The Authorization header of every registry request. A static token and basic auth are computed once; an OAuth
 * client-credentials token is fetched from the issuer on first use and again `bearer.auth.cache.expiry.buffer.seconds`
 * before it expires (Confluent's CachedOauthTokenRetriever), one fetch at a time.
 */
export class Authorization {
  #token: { readonly value: string; readonly refreshAt: number } | null = null;
  #fetching: Promise<string> | null = null;

  constructor(
    private readonly credentials: Credentials | null,
    private readonly timeoutMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** The header's value, or null for none. */
  async header(): Promise<string | null> {
    const credentials = this.credentials;
    if (credentials === null) return null;
    if (credentials.kind === "basic") return `Basic ${Buffer.from(credentials.userInfo).toString("base64")}`;
    if (credentials.kind === "static-token") return `Bearer ${credentials.token}`;
    if (this.#token !== null && this.now() < this.#token.refreshAt) return `Bearer ${this.#token.value}`;
    this.#fetching ??= this.fetchToken(credentials).finally(() => {
      this.#fetching = null;
    });
    return `Bearer ${await this.#fetching}`;
  }

  private async fetchToken(credentials: Extract<Credentials, { kind: "oauth" }>): Promise<string> {
    const body = new URLSearchParams({ grant_type: "client_credentials" });
    if (credentials.scope !== "") body.set("scope", credentials.scope);
    let response: Response;
    try {
      response = await fetch(credentials.issuer, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Authorization: `Basic ${Buffer.from(`${credentials.clientId}:${credentials.clientSecret}`).toString("base64")}`,
        },
        body,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (error) {
      throw new SchemaRegistryError(
        `Could not reach the OAuth issuer ${credentials.issuer}: ${describe(error)}`,
        0,
        0,
        { retriable: true, cause: error },
      );
    }
    const text = await response.text();
    if (!response.ok) {
      throw new SchemaRegistryError(
        `The OAuth issuer ${credentials.issuer} answered ${response.status}: ${text.slice(0, 200)}`,
        response.status,
        response.status,
        { retriable: response.status >= 500 || response.status === 429 || response.status === 408 },
      );
    }
    let parsed: { access_token?: unknown; expires_in?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch (error) {
      throw new ConnectError(`The OAuth issuer ${credentials.issuer} answered something that is not JSON`, {
        code: "SCHEMA_REGISTRY_ERROR",
        cause: error,
      });
    }
    if (typeof parsed.access_token !== "string") {
      throw new ConnectError(`The OAuth issuer ${credentials.issuer} gave no access_token`, {
        code: "SCHEMA_REGISTRY_ERROR",
      });
    }
    const expiresInMs = typeof parsed.expires_in === "number" ? parsed.expires_in * 1000 : 3_600_000;
    this.#token = {
      value: parsed.access_token,
      refreshAt: this.now() + Math.max(0, expiresInMs - credentials.expiryBufferMs),
    };
    return parsed.access_token;
  }
}

export function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
