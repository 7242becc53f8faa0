import packageJson from "../../package.json" with { type: "json" };

/** The verifiable connectors ship in sluice's repository, so they report sluice's version. */
export const VERIFIABLE_PLUGIN_VERSION: string = packageJson.version;
