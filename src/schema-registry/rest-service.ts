import { Authorization, describe } from "./authorization.ts";
import type { ClientSettings } from "./client-config.ts";
import { isRetriableStatus, SchemaRegistryError } from "./schema-registry-error.ts";

const CONTENT_TYPE = "application/vnd.schemaregistry.v1+json";

/**
 * HTTP to a Schema Registry as Confluent's RestService does it: each request goes to the current URL, is retried
 * there on a retriable status (408, 429, 5xx) up to `max.retries` times, waiting `retries.wait.ms` doubling up to
 * `retries.max.wait.ms`, and fails over to the next URL when that one cannot be reached or keeps failing; the URL
 * that answered stays current. A request that no URL answered is a retriable SchemaRegistryError; an answer that
 * refuses the request (4xx) is not, and carries the registry's error code and message.
 */
export class RestService {
  readonly #authorization: Authorization;
  #current = 0;

  constructor(
    private readonly settings: ClientSettings,
    private readonly sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms)),
  ) {
    this.#authorization = new Authorization(settings.credentials, settings.timeoutMs);
  }

  async request<T>(method: "GET" | "POST" | "PUT" | "DELETE", path: string, body?: unknown): Promise<T> {
    const urls = this.settings.urls;
    let lastError: SchemaRegistryError | undefined;
    for (let i = 0; i < urls.length; i++) {
      const index = (this.#current + i) % urls.length;
      try {
        const result = await this.withRetries<T>(`${urls[index]}${path}`, method, body);
        this.#current = index;
        return result;
      } catch (error) {
        if (!(error instanceof SchemaRegistryError) || !error.retriable) throw error;
        lastError = error;
      }
    }
    throw lastError as SchemaRegistryError;
  }

  private async withRetries<T>(url: string, method: string, body: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await this.send<T>(url, method, body);
      } catch (error) {
        // Unreachable: no use asking the same URL again at once; the caller fails over.
        if (!(error instanceof SchemaRegistryError) || error.status === 0 || !error.retriable) throw error;
        if (attempt >= this.settings.maxRetries) throw error;
        const wait = Math.min(this.settings.retriesMaxWaitMs, this.settings.retriesWaitMs * 2 ** attempt);
        await this.sleep(Math.floor(wait * (0.8 + Math.random() * 0.2)));
      }
    }
  }

  private async send<T>(url: string, method: string, body: unknown): Promise<T> {
    const headers: Record<string, string> = { Accept: CONTENT_TYPE, ...this.settings.headers };
    if (body !== undefined) headers["Content-Type"] = CONTENT_TYPE;
    const authorization = await this.#authorization.header();
    if (authorization !== null) headers.Authorization = authorization;
    let response: Response;
    let text: string;
    try {
      response = await fetch(url, {
        method,
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.settings.timeoutMs),
      });
      text = await response.text();
    } catch (error) {
      throw new SchemaRegistryError(`Could not reach the Schema Registry at ${url}: ${describe(error)}`, 0, 0, {
        retriable: true,
        cause: error,
      });
    }
    if (response.ok) {
      try {
        return JSON.parse(text) as T;
      } catch (error) {
        throw new SchemaRegistryError(
          `The Schema Registry at ${url} answered ${response.status} with a body that is not JSON: ${text.slice(0, 200)}`,
          response.status,
          0,
          { retriable: false, cause: error },
        );
      }
    }
    let errorCode = response.status;
    let message = text.slice(0, 500);
    try {
      const parsed = JSON.parse(text) as { error_code?: unknown; message?: unknown };
      if (typeof parsed.error_code === "number" && parsed.error_code !== 0) errorCode = parsed.error_code;
      if (typeof parsed.message === "string") message = parsed.message;
    } catch {
      // Not the registry's error body (a proxy's page, say): its text is the message.
    }
    throw new SchemaRegistryError(
      `${method} ${url} failed: ${message}; error code: ${errorCode} (HTTP ${response.status})`,
      response.status,
      errorCode,
      { retriable: isRetriableStatus(response.status) },
    );
  }
}
