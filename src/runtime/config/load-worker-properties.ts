import { loadPropertiesFileWithLines } from "./properties-file.ts";
import { resolveWithOwnProviders } from "./providers/create-config-providers.ts";
import { locate, type SourcedProperties } from "./sourced-properties.ts";

/**
 * Reads a worker.properties file, keeping each key's line so configuration errors can point at it, and resolves the
 * `${provider:[path:]key}` placeholders in it with the providers it declares (`config.providers`), as Kafka does.
 */
export async function loadWorkerProperties(path: string): Promise<SourcedProperties> {
  const { values, lines } = await loadPropertiesFileWithLines(path);
  const sourced = { props: values, source: path, lines };
  try {
    return { ...sourced, props: await resolveWithOwnProviders(values) };
  } catch (error) {
    throw locate(error, sourced);
  }
}
