import { existsSync } from "node:fs";
import { isAbsolute, normalize, sep } from "node:path";
import { ConfigError } from "../../../api/errors.ts";

/**
 * The `allowed.paths` parameter of the file and directory providers (Kafka's AllowedPaths, KIP-993): a comma-separated
 * list of absolute, existing paths; a provider then reads only at or below one of them. Unset, every path is allowed.
 */
export class AllowedPaths {
  private readonly roots: readonly string[] | null;

  constructor(configValue: string | undefined) {
    if (configValue === undefined || configValue === "") {
      this.roots = null;
      return;
    }
    this.roots = configValue.split(",").map((entry) => {
      const path = normalize(entry.trim());
      if (!isAbsolute(path)) {
        throw new ConfigError(`Path ${path} in allowed.paths is not absolute`, { key: "allowed.paths" });
      }
      if (!existsSync(path)) {
        throw new ConfigError(`Path ${path} in allowed.paths does not exist`, { key: "allowed.paths" });
      }
      return path;
    });
  }

  /**
   * The normalised path when it lies under an allowed root (compared by whole path components, as Java's
   * `Path.startsWith`: `/a/bc` is not under `/a/b`), else null. `..` is resolved first, so it cannot escape a root.
   */
  resolve(path: string): string | null {
    if (this.roots === null) return path;
    const candidate = normalize(path);
    const allowed = this.roots.some(
      (root) => candidate === root || candidate.startsWith(root.endsWith(sep) ? root : root + sep),
    );
    return allowed ? candidate : null;
  }

  /** For error messages. */
  describe(): string {
    return this.roots === null ? "(any)" : this.roots.join(",");
  }
}

/** The error both path-based providers raise for a path outside `allowed.paths`. */
export function notAllowedError(path: string, allowed: AllowedPaths): ConfigError {
  return new ConfigError(`The path ${path} is not allowed to be accessed: allowed.paths is ${allowed.describe()}`, {
    code: "CONFIG_PROVIDER_PATH_NOT_ALLOWED",
  });
}
