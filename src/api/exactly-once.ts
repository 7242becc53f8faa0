/**
 * A source connector's answers about exactly-once delivery (KIP-618), as Kafka's `ExactlyOnceSupport` and
 * `ConnectorTransactionBoundaries` enums: const objects, so that `ExactlyOnceSupport.SUPPORTED` reads as in Java,
 * and string values equal to the Java names, which the runtime prints in its messages.
 */

/** Whether a connector delivers exactly once with a given configuration (`SourceConnector.exactlyOnceSupport`). */
export const ExactlyOnceSupport = {
  /** Its tasks' records and offsets may be written in one transaction and nothing is lost or repeated. */
  SUPPORTED: "SUPPORTED",
  /** It cannot: for example it reads a stream it cannot rewind to a stored offset. */
  UNSUPPORTED: "UNSUPPORTED",
} as const;
export type ExactlyOnceSupport = (typeof ExactlyOnceSupport)[keyof typeof ExactlyOnceSupport];

/**
 * Whether a connector's tasks can say where transactions end (`SourceConnector.canDefineTransactionBoundaries`),
 * which `transaction.boundary=connector` needs.
 */
export const ConnectorTransactionBoundaries = {
  /** Its tasks commit or abort through `SourceTaskContext.transactionContext()`. */
  SUPPORTED: "SUPPORTED",
  UNSUPPORTED: "UNSUPPORTED",
} as const;
export type ConnectorTransactionBoundaries =
  (typeof ConnectorTransactionBoundaries)[keyof typeof ConnectorTransactionBoundaries];
