import { readdir, readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import type { ConfigData, ConfigProvider } from "../../../api/config-provider.ts";
import { ConfigError } from "../../../api/errors.ts";
import { AllowedPaths, notAllowedError } from "./allowed-paths.ts";

/**
 * Kafka's DirectoryConfigProvider: the path is a folder, each regular file in it a key whose value is the file's
 * whole content (UTF-8, not trimmed). Made for mounted secrets (Kubernetes): `${dir:/var/run/secrets/db:password}`.
 * Symbolic links are followed, as Java's `Files.isRegularFile` does. Parameter: `allowed.paths`.
 */
export class DirectoryConfigProvider implements ConfigProvider {
  private allowedPaths: AllowedPaths | undefined;

  configure(params: Readonly<Record<string, string>>): void {
    this.allowedPaths = new AllowedPaths(params["allowed.paths"]);
  }

  async get(path: string, keys?: ReadonlySet<string>): Promise<ConfigData> {
    if (!this.allowedPaths) throw new ConfigError("The DirectoryConfigProvider has not been configured yet");
    if (path === "") return { data: {} };
    const dir = this.allowedPaths.resolve(path);
    if (dir === null) throw notAllowedError(path, this.allowedPaths);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (error) {
      // Kafka only warns when the path is not a directory; saying so is clearer than an unresolved placeholder.
      throw new ConfigError(`Could not list directory ${path}: ${(error as Error).message}`, {
        code: "CONFIG_PROVIDER_READ_FAILED",
        cause: error,
      });
    }
    const data: Record<string, string> = {};
    for (const name of names) {
      if (keys && !keys.has(name)) continue;
      const file = join(dir, name);
      const info = await stat(file).catch(() => undefined);
      if (!info?.isFile()) continue;
      try {
        data[name] = await readFile(file, "utf8");
      } catch (error) {
        throw new ConfigError(`Could not read file ${file} for property ${name}: ${(error as Error).message}`, {
          code: "CONFIG_PROVIDER_READ_FAILED",
          cause: error,
        });
      }
    }
    return { data };
  }
}
