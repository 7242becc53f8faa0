import { readFile } from "node:fs/promises";
import type { ConfigData, ConfigProvider } from "../../../api/config-provider.ts";
import { ConfigError } from "../../../api/errors.ts";
import { parseProperties } from "../properties-file.ts";
import { AllowedPaths, notAllowedError } from "./allowed-paths.ts";

/**
 * Kafka's FileConfigProvider: the path is a Java properties file, the keys are its property names.
 * `${file:/etc/secrets/db.properties:password}` reads `password` from that file. Parameter: `allowed.paths`.
 * The file is read at each lookup, so a changed secret is picked up the next time a connector or task starts.
 */
export class FileConfigProvider implements ConfigProvider {
  private allowedPaths: AllowedPaths | undefined;

  configure(params: Readonly<Record<string, string>>): void {
    this.allowedPaths = new AllowedPaths(params["allowed.paths"]);
  }

  async get(path: string, keys?: ReadonlySet<string>): Promise<ConfigData> {
    if (!this.allowedPaths) throw new ConfigError("The FileConfigProvider has not been configured yet");
    if (path === "") return { data: {} };
    const file = this.allowedPaths.resolve(path);
    // Kafka logs a warning and resolves nothing here; a clear error is more useful than a placeholder left in place.
    if (file === null) throw notAllowedError(path, this.allowedPaths);
    let text: string;
    try {
      text = await readFile(file, "utf8");
    } catch (error) {
      throw new ConfigError(`Could not read properties from file ${path}: ${(error as Error).message}`, {
        code: "CONFIG_PROVIDER_READ_FAILED",
        cause: error,
      });
    }
    const properties = parseProperties(text, path);
    const data: Record<string, string> = {};
    for (const key of keys ?? Object.keys(properties)) {
      if (Object.hasOwn(properties, key)) data[key] = properties[key] as string;
    }
    return { data };
  }
}
