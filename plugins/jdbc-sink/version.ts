import packageJson from "../../package.json" with { type: "json" };

/** The JDBC sink ships in sluice, so it reports sluice's version. */
export const JDBC_SINK_PLUGIN_VERSION: string = packageJson.version;
