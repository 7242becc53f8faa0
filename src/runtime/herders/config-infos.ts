import type { ConfigDef, ConfigKey, ConfigType, ConfigValue } from "../../api/config-def.ts";
import { formatDouble } from "../../api/java-number-format.ts";

/**
 * The REST API's views of configuration definitions and validation results, as Kafka's ConfigKeyInfo,
 * ConfigValueInfo and ConfigInfos serialise them (AbstractHerder.convertConfigKey / convertConfigValue /
 * generateResult): upper-case type, importance and width names, values and defaults as strings.
 */

/** One key's definition. Property order is Kafka's JSON order (`order` last). */
export interface ConfigKeyInfo {
  readonly name: string;
  readonly type: string;
  readonly required: boolean;
  readonly default_value: string | null;
  readonly importance: string;
  readonly documentation: string;
  readonly group: string | null;
  readonly width: string;
  readonly display_name: string;
  readonly dependents: readonly string[];
  readonly order: number;
}

export interface ConfigValueInfo {
  readonly name: string;
  readonly value: string | null;
  readonly recommended_values: readonly string[];
  readonly errors: readonly string[];
  readonly visible: boolean;
}

export interface ConfigInfo {
  readonly definition: ConfigKeyInfo | null;
  readonly value: ConfigValueInfo | null;
}

export interface ConfigInfos {
  readonly name: string;
  readonly error_count: number;
  readonly groups: readonly string[];
  readonly configs: readonly ConfigInfo[];
}

/** Kafka's ConfigDef.convertToString: how a parsed value or default is printed. */
export function convertToString(value: unknown, type: ConfigType | null): string | null {
  if (value === null || value === undefined) return null;
  if (Array.isArray(value)) return value.map((v) => String(v)).join(",");
  if (type === "password") return "[hidden]";
  if (type === "double" && typeof value === "number") return formatDouble(value);
  return String(value);
}

export function convertConfigKey(key: ConfigKey, prefix = ""): ConfigKeyInfo {
  const required = !("defaultValue" in key);
  return {
    name: `${prefix}${key.name}`,
    type: key.type.toUpperCase(),
    required,
    default_value: required ? null : convertToString(key.defaultValue, key.type),
    importance: key.importance.toUpperCase(),
    documentation: key.documentation,
    group: key.group ?? null,
    width: (key.width ?? "none").toUpperCase(),
    // Kafka's ConfigKey falls back to the key's own name.
    display_name: key.displayName ?? key.name,
    dependents: key.dependents ?? [],
    order: key.orderInGroup ?? -1,
  };
}

export function convertConfigValue(value: ConfigValue, type: ConfigType | null): ConfigValueInfo {
  return {
    name: value.name,
    value: convertToString(value.value, type),
    recommended_values: value.recommendedValues.map((v) => convertToString(v, type === "list" ? "string" : type) ?? ""),
    errors: [...value.errors],
    visible: value.visible,
  };
}

/**
 * Kafka's AbstractHerder.generateResult: values that match no key first (their errors counted), then every key in
 * definition order with its value, if any. `error_count` counts error messages.
 */
export function generateResult(
  name: string,
  keys: ReadonlyMap<string, ConfigKey>,
  values: readonly ConfigValue[],
  groups: readonly string[],
): ConfigInfos {
  const byName = new Map<string, ConfigValue>();
  const configs: ConfigInfo[] = [];
  let errorCount = 0;
  for (const value of values) {
    byName.set(value.name, value);
    if (!keys.has(value.name)) {
      configs.push({ definition: null, value: convertConfigValue(value, null) });
      errorCount += value.errors.length;
    }
  }
  for (const [keyName, key] of keys) {
    const value = byName.get(keyName);
    if (value) errorCount += value.errors.length;
    configs.push({ definition: convertConfigKey(key), value: value ? convertConfigValue(value, key.type) : null });
  }
  return { name, error_count: errorCount, groups: [...groups], configs };
}

/**
 * Kafka's AbstractHerder.prefixedConfigInfos, for a converter's own keys validated under `key.converter.` etc.:
 * names get the prefix, and `error_count` counts the keys that have errors.
 */
export function prefixedConfigInfos(
  keys: ReadonlyMap<string, ConfigKey>,
  values: readonly ConfigValue[],
  prefix: string,
): ConfigInfos {
  const groups = new Set<string>();
  const configs: ConfigInfo[] = [];
  let errorCount = 0;
  for (const value of values) {
    const key = keys.get(value.name);
    if (key?.group) groups.add(key.group);
    if (value.errors.length > 0) errorCount++;
    configs.push({
      definition: key ? convertConfigKey(key, prefix) : null,
      value: convertConfigValue({ ...value, name: `${prefix}${value.name}` }, key?.type ?? null),
    });
  }
  return { name: "", error_count: errorCount, groups: [...groups], configs };
}

/** Kafka's mergeConfigInfos: one result from several, error counts summed, groups in first-seen order. */
export function mergeConfigInfos(name: string, parts: readonly (ConfigInfos | null)[]): ConfigInfos {
  const groups = new Set<string>();
  const configs: ConfigInfo[] = [];
  let errorCount = 0;
  for (const part of parts) {
    if (!part) continue;
    errorCount += part.error_count;
    configs.push(...part.configs);
    for (const group of part.groups) groups.add(group);
  }
  return { name, error_count: errorCount, groups: [...groups], configs };
}

/** The groups of a ConfigDef in the order their first key was defined (Kafka's ConfigDef.groups()). */
export function groupsOf(def: ConfigDef): string[] {
  const groups = new Set<string>();
  for (const key of def.configKeys().values()) if (key.group) groups.add(key.group);
  return [...groups];
}

const IMPORTANCE_RANK = { high: 0, medium: 1, low: 2 } as const;

/**
 * Kafka's ConfigDef.sortedConfigs: by group (keys without one first, then groups in definition order), then order
 * in group, then keys without a default, then importance (high first), then name. ConfigDef.embed uses this order.
 */
export function sortedConfigs(def: ConfigDef): ConfigKey[] {
  const groupRank = new Map(groupsOf(def).map((g, i) => [g, i]));
  const rank = (key: ConfigKey) => (key.group ? (groupRank.get(key.group) ?? 0) : -1);
  return [...def.configKeys().values()].sort((a, b) => {
    const byGroup = rank(a) - rank(b);
    if (byGroup !== 0) return byGroup;
    const byOrder = (a.orderInGroup ?? -1) - (b.orderInGroup ?? -1);
    if (byOrder !== 0) return byOrder;
    const byDefault = Number("defaultValue" in a) - Number("defaultValue" in b);
    if (byDefault !== 0) return byDefault;
    const byImportance = IMPORTANCE_RANK[a.importance] - IMPORTANCE_RANK[b.importance];
    if (byImportance !== 0) return byImportance;
    return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
  });
}

/**
 * Kafka's ConfigDef.embed: the child's keys under `prefix`, in group `group` (or `group: <own group>`), numbered from
 * `startOrder`; display names default to the un-prefixed name, as in Kafka.
 */
export function embed(target: ConfigDef, prefix: string, group: string, startOrder: number, child: ConfigDef): void {
  let order = startOrder;
  for (const key of sortedConfigs(child)) {
    target.define({
      ...key,
      name: `${prefix}${key.name}`,
      group: key.group ? `${group}: ${key.group}` : group,
      orderInGroup: order++,
      displayName: key.displayName ?? key.name,
      dependents: (key.dependents ?? []).map((d) => `${prefix}${d}`),
    });
  }
}
