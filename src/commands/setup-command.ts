import { ConnectError } from "../api/errors.ts";
import { ensureNativeBuild } from "../dev/setup.ts";

/** `sluice setup [--quiet]`: the native build librdkafka (cached outside the clone); 0 when in place. */
export async function runSetupCommand(options: { quiet?: boolean }): Promise<number> {
  try {
    const { librdkafka, builtNow } = await ensureNativeBuild({ quiet: options.quiet });
    if (!options.quiet || builtNow) console.error(`librdkafka ready: ${librdkafka}`);
    return 0;
  } catch (error) {
    console.error(`sluice: ${error instanceof ConnectError ? error.message : String(error)}`);
    return 1;
  }
}
