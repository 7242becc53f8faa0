import packageJson from "../../package.json" with { type: "json" };

/** sluice's version, from package.json. */
export const SLUICE_VERSION: string = packageJson.version;
