import { FlatShape } from "./flat-shape.ts";
import { OrdersShape } from "./orders-shape.ts";
import { SequenceShape } from "./sequence-shape.ts";
import type { Shape } from "./shape.ts";

/** The values of the `shape` setting, each with how to make its generator for a seed. */
export const SHAPES = {
  orders: (seed: number): Shape => new OrdersShape(seed),
  flat: (seed: number): Shape => new FlatShape(seed),
  sequence: (_seed: number): Shape => new SequenceShape(),
} as const;

export type ShapeName = keyof typeof SHAPES;

export const SHAPE_NAMES = Object.keys(SHAPES) as ShapeName[];
