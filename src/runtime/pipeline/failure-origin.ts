import type { Stage } from "../errors/stage.ts";
import type { Converters } from "./connector-converters.ts";
import { RecordConversionError } from "./record-conversion.ts";
import { TransformationError } from "./transformation-chain.ts";

/** The stage and class an error came from, as the error handler reports them (Kafka's ProcessingContext). */
export function failureOrigin(
  error: unknown,
  converters: Converters,
  fallback: Stage,
  fallbackClass: string,
): { stage: Stage; executingClass: string } {
  if (error instanceof TransformationError) return { stage: "TRANSFORMATION", executingClass: error.className };
  if (error instanceof RecordConversionError) {
    const { settings } = converters;
    const executingClass =
      error.stage === "KEY_CONVERTER"
        ? settings.key.className
        : error.stage === "VALUE_CONVERTER"
          ? settings.value.className
          : settings.header.className;
    return { stage: error.stage, executingClass };
  }
  return { stage: fallback, executingClass: fallbackClass };
}
