import type {
  OffsetStorageReader,
  SinkTaskContext,
  SourceConnectorContext,
  SourceTaskContext,
  TopicPartition,
  TopicPartitionOffset,
} from "../index.ts";
import { MemoryOffsetStorageReader } from "./memory-offset-storage-reader.ts";

/** A connector's context as the runtime gives one (a source connector's, with offsets from memory), recording calls. */
export interface RecordingConnectorContext extends SourceConnectorContext {
  readonly reconfigurationRequests: number;
  readonly raisedErrors: readonly Error[];
}

export function connectorContext(
  offsetStorageReader: OffsetStorageReader = new MemoryOffsetStorageReader(),
): RecordingConnectorContext {
  const raisedErrors: Error[] = [];
  let reconfigurationRequests = 0;
  return {
    offsetStorageReader,
    requestTaskReconfiguration: () => {
      reconfigurationRequests += 1;
    },
    raiseError: (error) => {
      raisedErrors.push(error);
    },
    get reconfigurationRequests() {
      return reconfigurationRequests;
    },
    raisedErrors,
  };
}

/** A SourceTaskContext as the runtime gives one, with offsets from memory. */
export function sourceTaskContext(
  configs: Readonly<Record<string, string>> = {},
  offsetStorageReader: OffsetStorageReader = new MemoryOffsetStorageReader(),
): SourceTaskContext {
  return { configs: () => configs, offsetStorageReader };
}

/** A SinkTaskContext that records what the task asked of the runtime. */
export interface RecordingSinkTaskContext extends SinkTaskContext {
  readonly commitRequests: number;
  readonly rewinds: readonly TopicPartitionOffset[][];
}

export function sinkTaskContext(
  configs: Readonly<Record<string, string>> = {},
  assignment: readonly TopicPartition[] = [],
): RecordingSinkTaskContext {
  const rewinds: TopicPartitionOffset[][] = [];
  let commitRequests = 0;
  return {
    configs: () => configs,
    offset: (offsets) => {
      rewinds.push([...offsets]);
    },
    timeout: () => {},
    assignment: () => assignment,
    pause: () => {},
    resume: () => {},
    requestCommit: () => {
      commitRequests += 1;
    },
    get commitRequests() {
      return commitRequests;
    },
    rewinds,
  };
}
