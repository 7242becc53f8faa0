/**
 * The workloads of issues 4 and 10, as the harness runs them. Footprint (workload 4) is not a run of its own: every
 * run of `source-1` starts a fresh worker, and its start-up time, idle RSS and RSS under load are the footprint
 * figures. The scaling series (issue 10) run W1 and W2 at tasks.max 1, 2 and 4, one partition per task.
 */

export type WorkloadId = "source-1" | "source-2" | "source-4" | "sink" | "sink-2" | "sink-4" | "schemas";

/** The series a workload belongs to when it is one step of a scaling series (same work, more tasks). */
export type SeriesId = "source" | "sink";

/** What `--workload` accepts: a workload group, or one workload by its id. */
export type WorkloadGroup = "source" | "sink" | "schemas" | "footprint" | "scaling" | "cdc";
export type WorkloadName = WorkloadGroup | WorkloadId;
export const WORKLOAD_GROUPS: readonly WorkloadGroup[] = ["source", "sink", "schemas", "footprint", "scaling", "cdc"];

export interface Workload {
  readonly id: WorkloadId;
  /** The number for it. */
  readonly number: 1 | 2 | 3;
  readonly title: string;
  readonly kind: "source" | "sink";
  /** tasks.max; the connectors of both runtimes start that many tasks. */
  readonly tasks: number;
  readonly partitions: number;
  /** value.converter.schemas.enable, and Structs from the sources. */
  readonly schemas: boolean;
  /** Whether start-up and memory of its runs are the footprint figures. */
  readonly footprint: boolean;
  /** Its scaling series (W1 or W2 at 1, 2 and 4 tasks); null for W3. */
  readonly series: SeriesId | null;
}

export const SERIES_TITLES: Readonly<Record<SeriesId, string>> = {
  source: "W1 source",
  sink: "W2 sink to file",
};

/** The tasks.max steps of a scaling series. */
export const SCALING_TASKS: readonly number[] = [1, 2, 4];

function w1(tasks: number): Workload {
  return {
    id: `source-${tasks}` as WorkloadId,
    number: 1,
    title: tasks === 1 ? "W1 source, 1 task" : `W1 source, ${tasks} tasks, ${tasks} partitions`,
    kind: "source",
    tasks,
    partitions: tasks,
    schemas: false,
    footprint: tasks === 1,
    series: "source",
  };
}

function w2(tasks: number): Workload {
  return {
    // The 1-task sink kept the id it had before the scaling series.
    id: (tasks === 1 ? "sink" : `sink-${tasks}`) as WorkloadId,
    number: 2,
    title: tasks === 1 ? "W2 sink to file, 1 task" : `W2 sink to file, ${tasks} tasks, ${tasks} partitions`,
    kind: "sink",
    tasks,
    partitions: tasks,
    schemas: false,
    footprint: false,
    series: "sink",
  };
}

/** In the order a full run runs them. */
export const WORKLOADS: readonly Workload[] = [
  w1(1),
  w1(2),
  w1(4),
  w2(1),
  w2(2),
  w2(4),
  {
    id: "schemas",
    number: 3,
    title: "W3 source, schemas.enable=true",
    kind: "source",
    tasks: 1,
    partitions: 1,
    schemas: true,
    footprint: false,
    series: null,
  },
];

export const WORKLOAD_IDS: readonly WorkloadId[] = WORKLOADS.map((w) => w.id);
export const WORKLOAD_NAMES: readonly WorkloadName[] = [...WORKLOAD_GROUPS, ...WORKLOAD_IDS];

/** Whether `--workload <name>` (repeatable) selects the CDC workload; none given: all, CDC included. */
export function includesCdc(names: readonly WorkloadName[]): boolean {
  return names.length === 0 || names.includes("cdc");
}

/** The workload ids a group stands for. A workload's own id stands for itself. */
const GROUPS: Readonly<Record<WorkloadGroup, readonly WorkloadId[]>> = {
  // As before the scaling series: W1 at 1 and 4 tasks.
  source: ["source-1", "source-4"],
  sink: ["sink"],
  schemas: ["schemas"],
  footprint: ["source-1"],
  scaling: ["source-1", "source-2", "source-4", "sink", "sink-2", "sink-4"],
  // PostgreSQL → Kafka → PostgreSQL (bench/cdc/): no orders workload; `includesCdc` says whether it runs.
  cdc: [],
};

export function isWorkloadName(name: string): name is WorkloadName {
  return (WORKLOAD_NAMES as readonly string[]).includes(name);
}

/** The workloads `--workload <name>` (repeatable) selects, in the order of WORKLOADS; none given: all. */
export function selectWorkloads(names: readonly WorkloadName[]): Workload[] {
  if (names.length === 0) return [...WORKLOADS];
  const wanted = new Set<WorkloadId>();
  for (const name of names) {
    const ids = (GROUPS as Readonly<Record<string, readonly WorkloadId[]>>)[name] ?? [name as WorkloadId];
    for (const id of ids) wanted.add(id);
  }
  return WORKLOADS.filter((w) => wanted.has(w.id));
}
