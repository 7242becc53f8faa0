/**
 * The credentials behind `rest.auth.*`, read once at start-up:
 * - `rest.auth.basic.credentials.file`: a Java properties file of `user=password` (or `user: password`) lines, as
 *   Kafka's PropertyFileLoginModule reads; a password may instead be a hash made by `Bun.password.hash` (argon2 or
 *   bcrypt, recognised by its `$argon2`/`$2a$`/`$2b$`/`$2y$` prefix), checked with `Bun.password.verify`.
 * - `rest.auth.bearer.tokens.file`: one token per line; blank lines and `#` comments are skipped.
 * - `rest.auth.bearer.tokens`: tokens inline, comma separated.
 * An empty credentials or tokens file is refused: Kafka's module lets everybody in then, which is never what a file
 * named in the configuration means.
 */
import { timingSafeEqual } from "node:crypto";
import { ConfigError } from "../../api/errors.ts";
import { parsePropertiesWithLines, readConfigFile } from "../../runtime/config/properties-file.ts";

export const CREDENTIALS_FILE_KEY = "rest.auth.basic.credentials.file";
export const TOKENS_FILE_KEY = "rest.auth.bearer.tokens.file";
export const TOKENS_KEY = "rest.auth.bearer.tokens";

const HASH_PREFIX = /^\$(argon2(id|i|d)|2[aby])\$/;
/** RFC 6750's token68 characters: what an `Authorization: Bearer` header can carry. */
const TOKEN68 = /^[A-Za-z0-9._~+/-]+=*$/;

export interface AuthCredentials {
  /** user → password or password hash; empty when basic authentication is off. */
  readonly users: ReadonlyMap<string, string>;
  /** Accepted bearer tokens; empty when bearer authentication is off. */
  readonly tokens: readonly string[];
}

async function readText(path: string, key: string): Promise<string> {
  try {
    return new TextDecoder().decode(await readConfigFile(path));
  } catch (error) {
    throw new ConfigError((error as Error).message, { key, cause: error });
  }
}

async function loadUsers(path: string): Promise<Map<string, string>> {
  const { values } = parsePropertiesWithLines(await readText(path, CREDENTIALS_FILE_KEY), path);
  const users = new Map(Object.entries(values));
  if (users.size === 0) {
    throw new ConfigError(`The credentials file ${path} (${CREDENTIALS_FILE_KEY}) has no user=password line`, {
      key: CREDENTIALS_FILE_KEY,
    });
  }
  const hashed = [...users.values()].some((password) => HASH_PREFIX.test(password));
  if (hashed && process.versions.bun === undefined) {
    throw new ConfigError(
      `The credentials file ${path} (${CREDENTIALS_FILE_KEY}) holds password hashes, which only Bun can check`,
      { key: CREDENTIALS_FILE_KEY },
    );
  }
  return users;
}

async function loadTokens(path: string): Promise<string[]> {
  const tokens = (await readText(path, TOKENS_FILE_KEY))
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("#"));
  if (tokens.length === 0) {
    throw new ConfigError(`The tokens file ${path} (${TOKENS_FILE_KEY}) has no token`, { key: TOKENS_FILE_KEY });
  }
  return tokens;
}

/** Reads what the `rest.auth.*` keys name; both parts empty means authentication is off. */
export async function loadAuthCredentials(config: {
  credentialsFile: string | null;
  tokensFile: string | null;
  tokens: string | null;
}): Promise<AuthCredentials> {
  const users = config.credentialsFile ? await loadUsers(config.credentialsFile) : new Map<string, string>();
  const tokens = config.tokensFile ? await loadTokens(config.tokensFile) : [];
  for (const token of (config.tokens ?? "").split(",")) if (token.trim() !== "") tokens.push(token.trim());
  const bad = tokens.findIndex((token) => !TOKEN68.test(token));
  if (bad >= 0) {
    throw new ConfigError(
      `Bearer token number ${bad + 1} (${TOKENS_FILE_KEY} / ${TOKENS_KEY}) has characters a bearer token cannot carry: use letters, digits and ._~+/- (and = at the end)`,
      { key: config.tokensFile ? TOKENS_FILE_KEY : TOKENS_KEY },
    );
  }
  return { users, tokens };
}

/** Checks a password against the file's entry: plain text in constant time, or a Bun.password hash. */
export async function passwordMatches(expected: string, given: string): Promise<boolean> {
  if (HASH_PREFIX.test(expected)) return Bun.password.verify(given, expected);
  const a = new TextEncoder().encode(expected);
  const b = new TextEncoder().encode(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

/**
 * The `Authorization` header this worker presents to another worker of its cluster when it sends an internal request
 * the group cannot sign (task configurations, fencing, before the `sessioned` protocol): the workers of a cluster
 * share their credentials files, so one it accepts is one the leader accepts. Its first bearer token (the tokens
 * file's, then `rest.auth.bearer.tokens`), or else the first user whose password is kept in plain text; null when
 * there is neither (authentication off, or only password hashes, which cannot be presented).
 */
export function workerAuthorization({ users, tokens }: AuthCredentials): string | null {
  const token = tokens[0];
  if (token !== undefined) return `Bearer ${token}`;
  for (const [user, password] of users) {
    // A hash cannot be presented, nor a name with a colon (basic credentials split at the first one).
    if (!HASH_PREFIX.test(password) && !user.includes(":")) {
      return `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;
    }
  }
  return null;
}
