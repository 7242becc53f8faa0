/**
 * A small named logger writing one line per event to stderr: `2026-11-26T11:00:00.000Z INFO  [worker] message`.
 * Levels are per logger name (prefix match, as Kafka's log4j loggers), so the admin API can change them at run time.
 */
export type LogLevel = "ERROR" | "WARN" | "INFO" | "DEBUG" | "TRACE";

const RANK: Record<LogLevel, number> = { ERROR: 0, WARN: 1, INFO: 2, DEBUG: 3, TRACE: 4 };
const levels = new Map<string, LogLevel>([["root", parseLevel(process.env.SLUICE_LOG_LEVEL) ?? "INFO"]]);

function parseLevel(text: string | undefined): LogLevel | undefined {
  const upper = text?.toUpperCase();
  return upper && upper in RANK ? (upper as LogLevel) : undefined;
}

/** The level in force for a logger: its own, else its nearest dotted ancestor's, else the root's. */
export function effectiveLevel(name: string): LogLevel {
  for (let n = name; n.length > 0; n = n.includes(".") ? n.slice(0, n.lastIndexOf(".")) : "") {
    const level = levels.get(n);
    if (level) return level;
  }
  return levels.get("root") ?? "INFO";
}

export function setLevel(name: string, level: LogLevel): void {
  levels.set(name, level);
}

export interface Logger {
  error(message: string, error?: unknown): void;
  warn(message: string, error?: unknown): void;
  info(message: string): void;
  debug(message: string): void;
}

export function createLogger(name: string): Logger {
  const write = (level: LogLevel, message: string, error?: unknown) => {
    if (RANK[level] > RANK[effectiveLevel(name)]) return;
    const detail = error instanceof Error ? `: ${error.message}` : error === undefined ? "" : `: ${String(error)}`;
    process.stderr.write(`${new Date().toISOString()} ${level.padEnd(5)} [${name}] ${message}${detail}\n`);
  };
  return {
    error: (message, error) => write("ERROR", message, error),
    warn: (message, error) => write("WARN", message, error),
    info: (message) => write("INFO", message),
    debug: (message) => write("DEBUG", message),
  };
}
