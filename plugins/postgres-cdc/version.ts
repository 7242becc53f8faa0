/** The plugin's version, as the REST API prints it. */
export const POSTGRES_CDC_VERSION = "0.1.0";

/**
 * The Debezium release whose change events this connector writes: every event's `source.version`, so that
 * consumers that look at it (or compare with Debezium's own output) see the format they know.
 */
export const DEBEZIUM_FORMAT_VERSION = "3.6.1.Final";
