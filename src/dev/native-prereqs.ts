/**
 * What building librdkafka (and the Node addon around it) needs from the system: the headers of the libraries it
 * links dynamically (CKJS_LINKING=dynamic), Node.js headers for node-gyp, and the toolchain. Checked up front so
 * that a missing package fails in one clear line naming the apt command, instead of minutes into a compile.
 */
import { existsSync, mkdirSync, realpathSync } from "node:fs";
import { dirname, join } from "node:path";
import { ConnectError } from "../api/errors.ts";
import { sluiceCacheDir } from "../kafka/native-build.ts";
import type { Which } from "./external-programs.ts";
import { runLogged, systemWhich } from "./external-programs.ts";
import { say, withLogTail } from "./say.ts";

export interface Prerequisite {
  kind: "header" | "command" | "file";
  /** A header path relative to an include directory, a command name, or an absolute path. */
  name: string;
  /** The Debian package that provides it. */
  aptPackage: string;
}

export const NATIVE_HEADERS: readonly Prerequisite[] = [
  { kind: "header", name: "openssl/ssl.h", aptPackage: "libssl-dev" },
  { kind: "header", name: "sasl/sasl.h", aptPackage: "libsasl2-dev" },
  { kind: "header", name: "zstd.h", aptPackage: "libzstd-dev" },
  { kind: "header", name: "lz4.h", aptPackage: "liblz4-dev" },
  { kind: "header", name: "zlib.h", aptPackage: "zlib1g-dev" },
  // Debian puts curl's headers under the multiarch directory (/usr/include/x86_64-linux-gnu/curl).
  { kind: "header", name: "curl/curl.h", aptPackage: "libcurl4-openssl-dev" },
];

export const NATIVE_COMMANDS: readonly Prerequisite[] = [
  { kind: "command", name: "node", aptPackage: "nodejs" },
  { kind: "command", name: "npm", aptPackage: "npm" },
  { kind: "command", name: "g++", aptPackage: "g++" },
  { kind: "command", name: "make", aptPackage: "make" },
  // Not for the build: the benchmarks (and their smoke test in `bun run test`) use kcat as the raw ceiling. Checked
  // here so that a fresh machine gets it with the rest, in the same apt-get call.
  { kind: "command", name: "kcat", aptPackage: "kcat" },
  // Not for the build either: the tests of `/metrics` read it with the official Prometheus client's parsers, and
  // those of the dashboard drive a headless Chromium (with a font, so that its screenshots show text).
  {
    kind: "file",
    name: "/usr/lib/python3/dist-packages/prometheus_client/parser.py",
    aptPackage: "python3-prometheus-client",
  },
  { kind: "command", name: "chromium", aptPackage: "chromium" },
  { kind: "file", name: "/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf", aptPackage: "fonts-dejavu-core" },
];

/** node-gyp needs the headers of the Node.js that runs it; without them it downloads them (not possible here). */
const NODE_HEADERS: Prerequisite = { kind: "header", name: "node/node_api.h", aptPackage: "libnode-dev" };

export interface PrerequisiteCheck {
  includeDirs?: readonly string[];
  which?: Which;
  /** Whether a file prerequisite is there (default: the file system's answer). */
  exists?: (path: string) => boolean;
}

/** The include directories gcc searches by default on Debian, plus $CPATH / $C_INCLUDE_PATH. */
export function defaultIncludeDirs(): string[] {
  const fromEnv = [process.env.CPATH, process.env.C_INCLUDE_PATH].flatMap((value) => value?.split(":") ?? []);
  const multiarch = process.arch === "arm64" ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
  return [...fromEnv.filter(Boolean), "/usr/local/include", `/usr/include/${multiarch}`, "/usr/include"];
}

/** The Node.js installation prefix (`/usr` for /usr/bin/node), where node-gyp looks for `include/node`. */
export function nodePrefix(which: Which = systemWhich): string | undefined {
  const node = which("node");
  return node ? dirname(dirname(realpathSync(node))) : undefined;
}

/** Everything in the lists above that is not there. */
export function findMissingPrerequisites(check: PrerequisiteCheck = {}): Prerequisite[] {
  const includeDirs = check.includeDirs ?? defaultIncludeDirs();
  const which = check.which ?? systemWhich;
  const exists = check.exists ?? existsSync;
  const missing = NATIVE_HEADERS.filter((header) => !includeDirs.some((dir) => existsSync(join(dir, header.name))));
  missing.push(...NATIVE_COMMANDS.filter((item) => (item.kind === "file" ? !exists(item.name) : !which(item.name))));
  const prefix = nodePrefix(which);
  if (prefix !== undefined && !existsSync(join(prefix, "include", NODE_HEADERS.name))) missing.push(NODE_HEADERS);
  return missing;
}

export function aptInstallCommand(missing: readonly Prerequisite[]): string {
  return `apt-get install -y ${[...new Set(missing.map((item) => item.aptPackage))].join(" ")}`;
}

export function missingPrerequisitesError(missing: readonly Prerequisite[]): ConnectError {
  const names = missing.map((item) => `${item.name} (${item.aptPackage})`).join(", ");
  return new ConnectError(
    `building librdkafka needs system packages that are missing: ${names}.\nInstall them as root with: ${aptInstallCommand(missing)}`,
    { code: "NATIVE_PREREQUISITES_MISSING" },
  );
}

export interface EnsurePrerequisitesOptions extends PrerequisiteCheck {
  /** Whether missing packages may be installed with apt-get (default: as root, apt-get present, no SLUICE_NO_APT=1). */
  apt?: boolean;
}

function aptAllowed(which: Which): boolean {
  return process.env.SLUICE_NO_APT !== "1" && process.getuid?.() === 0 && which("apt-get") !== null;
}

/** Installs missing prerequisites with apt-get when allowed, else throws an error naming the apt command. */
export async function ensureNativePrerequisites(options: EnsurePrerequisitesOptions = {}): Promise<void> {
  const which = options.which ?? systemWhich;
  const missing = findMissingPrerequisites(options);
  if (missing.length === 0) return;
  if (!(options.apt ?? aptAllowed(which))) throw missingPrerequisitesError(missing);

  const packages = [...new Set(missing.map((item) => item.aptPackage))];
  const logPath = join(sluiceCacheDir(), "apt.log");
  mkdirSync(dirname(logPath), { recursive: true });
  say(`installing missing system packages with apt-get: ${packages.join(" ")} (log: ${logPath})…`);
  const env = { ...process.env, DEBIAN_FRONTEND: "noninteractive" };
  const install = () =>
    runLogged("apt-get", ["install", "-y", "--no-install-recommends", ...packages], { env, logPath });
  // A fresh machine has no package lists yet; update only when the install needs it (it is slow).
  if ((await install()) !== 0) {
    await runLogged("apt-get", ["update"], { env, logPath });
    const code = await install();
    if (code !== 0) {
      throw new ConnectError(withLogTail(`apt-get install failed (exit code ${code}).`, logPath), {
        code: "NATIVE_PREREQUISITES_MISSING",
      });
    }
  }
  const still = findMissingPrerequisites(options);
  if (still.length > 0) throw missingPrerequisitesError(still);
}
