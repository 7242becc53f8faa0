import type { SourcedProperties } from "../standalone-worker.ts";
import { loadPropertiesFileWithLines } from "./properties-file.ts";

/** Reads a worker.properties file, keeping each key's line so configuration errors can point at it. */
export async function loadWorkerProperties(path: string): Promise<SourcedProperties> {
  const { values, lines } = await loadPropertiesFileWithLines(path);
  return { props: values, source: path, lines };
}
