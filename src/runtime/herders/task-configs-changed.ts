/**
 * Whether a connector's new task configurations differ from the stored ones (Kafka's
 * AbstractHerder.taskConfigsChanged): compared as maps, key by key, so the same configuration in another key order
 * is the same. A Java worker writes its task configurations in HashMap order; comparing their JSON texts made a
 * sluice worker write identical configurations again, which restarts every task of the connector.
 */
type Config = Readonly<Record<string, string>>;

export function sameConfig(a: Config | undefined, b: Config | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  const keys = Object.keys(a);
  if (keys.length !== Object.keys(b).length) return false;
  return keys.every((key) => Object.hasOwn(b, key) && a[key] === b[key]);
}

/** `stored` holds the task configurations by task number; undefined when none are stored. */
export function taskConfigsChanged(
  stored: readonly (Config | undefined)[] | undefined,
  generated: readonly Config[],
): boolean {
  if (stored === undefined) return true;
  return stored.length !== generated.length || generated.some((config, i) => !sameConfig(config, stored[i]));
}
