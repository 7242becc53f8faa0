/**
 * A small named logger writing one line per event to stderr: `2026-11-26T11:00:00.000Z INFO  [worker] message`.
 * Levels are per logger name (prefix match, as Kafka's log4j loggers), so the admin API can change them at run time.
 */
export type LogLevel = "OFF" | "FATAL" | "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE" | "ALL";

/** log4j2's level order: a logger writes an event whose level ranks at or below its own. */
const RANK: Record<LogLevel, number> = { OFF: 0, FATAL: 1, ERROR: 2, WARN: 3, INFO: 4, DEBUG: 5, TRACE: 6, ALL: 7 };
const ROOT = "root";

/** A level set on a logger, and when (ms since the epoch; null when it was set at start-up), as Kafka's Loggers. */
interface LevelSetting {
  readonly level: LogLevel;
  readonly lastModified: number | null;
}

let levels = new Map<string, LevelSetting>([
  [ROOT, { level: parseLevel(process.env.SLUICE_LOG_LEVEL) ?? "INFO", lastModified: null }],
]);
/** Every logger created or configured so far: what the admin API lists. */
const known = new Set<string>([ROOT]);

/** Where finished lines go: stderr, or (in a task thread) the main thread, which writes them in order. */
let sink: (line: string) => void = (line) => process.stderr.write(line);
/** Called after any level changes (task threads follow the main thread's levels). */
const levelListeners = new Set<() => void>();

/** The levels in force, to hand to another thread (`applyLevels`). */
export type LevelSnapshot = readonly (readonly [string, LevelSetting])[];

export function levelSnapshot(): LevelSnapshot {
  return [...levels];
}

/** Replaces this thread's levels with another thread's (a task thread takes the main thread's). */
export function applyLevels(snapshot: LevelSnapshot): void {
  levels = new Map(snapshot);
}

/** Calls `listener` after every change of levels; returns the unsubscribe function. */
export function onLevelsChanged(listener: () => void): () => void {
  levelListeners.add(listener);
  return () => levelListeners.delete(listener);
}

/** Writes a finished log line (one a task thread sent) where this thread's own lines go. */
export function writeLogLine(line: string): void {
  sink(line);
}

/** Sends this thread's log lines somewhere other than stderr (a task thread: to the main thread). */
export function setLogSink(write: (line: string) => void): void {
  sink = write;
}

/** A level name in any case (`debug`, `Warn`), or undefined when it is not one. */
export function parseLevel(text: string | undefined): LogLevel | undefined {
  const upper = text?.toUpperCase();
  return upper && upper in RANK ? (upper as LogLevel) : undefined;
}

function settingOf(name: string): LevelSetting | undefined {
  for (let n = name; n.length > 0; n = n.includes(".") ? n.slice(0, n.lastIndexOf(".")) : "") {
    const setting = levels.get(n);
    if (setting) return setting;
  }
  return undefined;
}

/** The level in force for a logger: its own, else its nearest dotted ancestor's, else the root's. */
export function effectiveLevel(name: string): LogLevel {
  return (settingOf(name) ?? levels.get(ROOT))?.level ?? "INFO";
}

/**
 * Sets the level of a logger and of every known logger below it (all of them for `root`), as Kafka's
 * Loggers.setLevel. Returns the sorted names whose level changed; each gets the current time as last modified.
 */
export function setLevel(namespace: string, level: LogLevel): string[] {
  const affected = [...known].filter(
    (name) => namespace === ROOT || name === namespace || name.startsWith(`${namespace}.`),
  );
  if (!known.has(namespace)) affected.push(namespace);
  // Levels are compared before any is set, so a child that only inherited its level still counts as changed.
  const before = new Map(affected.map((name) => [name, effectiveLevel(name)]));
  const now = Date.now();
  const changed: string[] = [];
  for (const name of affected) {
    known.add(name);
    if (before.get(name) === level) continue;
    levels.set(name, { level, lastModified: now });
    changed.push(name);
  }
  if (changed.length > 0) for (const listener of levelListeners) listener();
  return changed.sort();
}

/** A known logger's level and when it was last set, or undefined for a logger nobody created. */
export function loggerLevel(name: string): { level: LogLevel; lastModified: number | null } | undefined {
  if (!known.has(name)) return undefined;
  return { level: effectiveLevel(name), lastModified: levels.get(name)?.lastModified ?? null };
}

/** Every known logger (root included), sorted by name. */
export function knownLoggers(): string[] {
  return [...known].sort();
}

export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string, error?: unknown): void;
  info(message: string): void;
  debug(message: string): void;
}

export function createLogger(name: string): Logger {
  known.add(name);
  const write = (level: LogLevel, message: string, error?: unknown) => {
    if (RANK[level] > RANK[effectiveLevel(name)]) return;
    const detail = error instanceof Error ? `: ${error.message}` : error === undefined ? "" : `: ${String(error)}`;
    sink(`${new Date().toISOString()} ${level.padEnd(5)} [${name}] ${message}${detail}\n`);
  };
  return {
    error: (message, error) => write("ERROR", message, error),
    warn: (message, error) => write("WARN", message, error),
    info: (message) => write("INFO", message),
    debug: (message) => write("DEBUG", message),
  };
}
