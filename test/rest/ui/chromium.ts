import { existsSync } from "node:fs";
import { type Browser, chromium } from "playwright-core";

export type { Browser };

/** Debian's Chromium (`apt-get install chromium`; `bun run test`'s setup installs it as root, as CI does). */
export const CHROMIUM_PATH = "/usr/bin/chromium";

export const CHROMIUM_PRESENT = existsSync(CHROMIUM_PATH);
if (!CHROMIUM_PRESENT) console.warn(`the browser tests are skipped: no Chromium at ${CHROMIUM_PATH}`);

/** Headless Chromium; `--no-sandbox` because tests run as root here, where Chromium's sandbox refuses to start. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: ["--no-sandbox"] });
}
