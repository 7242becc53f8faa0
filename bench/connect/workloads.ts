/**
 * The workloads of issue 4, as the harness runs them. Footprint (workload 4) is not a run of its own: every run of
 * `source-1` starts a fresh worker, and its start-up time, idle RSS and RSS under load are the footprint figures.
 */

export type WorkloadId = "source-1" | "source-4" | "sink" | "schemas";

/** What `--workload` accepts: a workload group. */
export type WorkloadName = "source" | "sink" | "schemas" | "footprint";
export const WORKLOAD_NAMES: readonly WorkloadName[] = ["source", "sink", "schemas", "footprint"];

export interface Workload {
  readonly id: WorkloadId;
  /** The number for it. */
  readonly number: 1 | 2 | 3;
  readonly title: string;
  readonly kind: "source" | "sink";
  readonly tasks: number;
  readonly partitions: number;
  /** value.converter.schemas.enable, and Structs from the sources. */
  readonly schemas: boolean;
  /** Whether start-up and memory of its runs are the footprint figures. */
  readonly footprint: boolean;
}

export const WORKLOADS: readonly Workload[] = [
  {
    id: "source-1",
    number: 1,
    title: "W1 source, 1 task",
    kind: "source",
    tasks: 1,
    partitions: 1,
    schemas: false,
    footprint: true,
  },
  {
    id: "source-4",
    number: 1,
    title: "W1 source, 4 tasks, 4 partitions",
    kind: "source",
    tasks: 4,
    partitions: 4,
    schemas: false,
    footprint: false,
  },
  {
    id: "sink",
    number: 2,
    title: "W2 sink to file, 1 task",
    kind: "sink",
    tasks: 1,
    partitions: 1,
    schemas: false,
    footprint: false,
  },
  {
    id: "schemas",
    number: 3,
    title: "W3 source, schemas.enable=true",
    kind: "source",
    tasks: 1,
    partitions: 1,
    schemas: true,
    footprint: false,
  },
];

/** The workloads `--workload <name>` (repeatable) selects; none given: all. */
export function selectWorkloads(names: readonly WorkloadName[]): Workload[] {
  if (names.length === 0) return [...WORKLOADS];
  const wanted = new Set<WorkloadId>();
  for (const name of names) {
    if (name === "source") {
      wanted.add("source-1");
      wanted.add("source-4");
    } else if (name === "footprint") wanted.add("source-1");
    else wanted.add(name);
  }
  return WORKLOADS.filter((w) => wanted.has(w.id));
}
