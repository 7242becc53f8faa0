import type { ConfigData, ConfigProvider } from "../../../api/config-provider.ts";
import { ConfigError } from "../../../api/errors.ts";
import { compileJavaPattern, type JavaPattern, javaMatches } from "../../../data/transforms/java-regex.ts";

/**
 * Kafka's EnvVarConfigProvider: keys are the worker's environment variables, `${env:DB_PASSWORD}`; placeholders
 * take no path. Parameter `allowlist.pattern`: a Java regular expression the whole variable name must match (default
 * `.*`, every variable). The environment is read when the provider is created, as in Kafka.
 */
export class EnvVarConfigProvider implements ConfigProvider {
  private readonly env: Readonly<Record<string, string>>;
  private visible: Readonly<Record<string, string>> | undefined;

  constructor(env: Readonly<Record<string, string | undefined>> = process.env) {
    const copy: Record<string, string> = {};
    for (const [name, value] of Object.entries(env)) if (value !== undefined) copy[name] = value;
    this.env = copy;
  }

  configure(params: Readonly<Record<string, string>>): void {
    const source = params["allowlist.pattern"] ?? ".*";
    let pattern: JavaPattern;
    try {
      pattern = compileJavaPattern(source);
    } catch (error) {
      throw new ConfigError(`Invalid allowlist.pattern ${source}: ${(error as Error).message}`, {
        key: "allowlist.pattern",
        cause: error,
      });
    }
    this.visible = Object.fromEntries(Object.entries(this.env).filter(([name]) => javaMatches(pattern, name)));
  }

  get(path: string, keys?: ReadonlySet<string>): ConfigData {
    if (!this.visible) throw new ConfigError("The EnvVarConfigProvider has not been configured yet");
    if (path !== "") {
      throw new ConfigError(`Path is not supported for EnvVarConfigProvider, invalid value '${path}'`);
    }
    if (!keys) return { data: { ...this.visible } };
    const data: Record<string, string> = {};
    for (const key of keys) {
      // own keys only: a variable named `constructor` must not find Object's
      if (Object.hasOwn(this.visible, key)) data[key] = this.visible[key] as string;
    }
    return { data };
  }
}
