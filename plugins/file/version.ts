import packageJson from "../../package.json" with { type: "json" };

/**
 * Kafka's file connectors report the version of the Kafka release they ship in; these ship in sluice, so they
 * report sluice's version.
 */
export const FILE_PLUGIN_VERSION: string = packageJson.version;
