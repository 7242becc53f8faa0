/** The plugin's version, as the REST API and the `source.version` field of every change event print it. */
export const POSTGRES_CDC_VERSION = "0.1.0";
