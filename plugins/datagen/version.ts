import packageJson from "../../package.json" with { type: "json" };

/** Datagen ships in sluice, so it reports sluice's version. */
export const DATAGEN_PLUGIN_VERSION: string = packageJson.version;
