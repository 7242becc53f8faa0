import * as datagen from "../../../plugins/datagen/index.ts";
import * as file from "../../../plugins/file/index.ts";
import * as jdbcSink from "../../../plugins/jdbc-sink/index.ts";
import * as postgresCdc from "../../../plugins/postgres-cdc/index.ts";
import type { PluginModule } from "../../runtime/plugins/plugin-registry.ts";

/**
 * The connector plugins that ship with sluice (`plugins/<name>/`), handed to the worker by the command that
 * assembles it: the runtime imports no plugin, so it can be embedded with other plugins or none. Imported here
 * statically, so that the Node.js bundle carries them; the URL lets a task thread import the same module.
 */
export const BUNDLED_PLUGINS: readonly PluginModule[] = [
  { url: new URL("../../../plugins/file/index.ts", import.meta.url).href, manifests: file.manifests },
  { url: new URL("../../../plugins/datagen/index.ts", import.meta.url).href, manifests: datagen.manifests },
  { url: new URL("../../../plugins/jdbc-sink/index.ts", import.meta.url).href, manifests: jdbcSink.manifests },
  { url: new URL("../../../plugins/postgres-cdc/index.ts", import.meta.url).href, manifests: postgresCdc.manifests },
];
