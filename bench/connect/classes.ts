/** Connector class names, the same on both runtimes (sluice registers Kafka's names for its own plugins). */
export const SOURCE_CONNECTOR_CLASS = "io.sluice.bench.OrdersFileSourceConnector";
export const FILE_SINK_CLASS = "org.apache.kafka.connect.file.FileStreamSinkConnector";
