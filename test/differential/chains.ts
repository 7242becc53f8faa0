/**
 * The chains under test: every `chains/*.properties` file is one connector configuration. A `# input: <set>`
 * comment names the input set (inputs.ts) it reads; the converter settings decide how outputs are compared.
 */
import { readdirSync, readFileSync } from "node:fs";
import { basename, join } from "node:path";
import type { Order } from "./canonical-json.ts";

export const CHAINS_DIR = join(import.meta.dir, "chains");

export interface Chain {
  name: string;
  path: string;
  input: string;
  /** What the first comment line says the chain checks. */
  about: string;
  /** How the key and value bytes are compared (see canonical-json.ts). */
  keyOrder: Order;
  valueOrder: Order;
  /** The `transforms.<alias>.type` and `predicates.<alias>.type` class names. */
  transforms: string[];
  predicates: string[];
}

/** Just enough of the properties format for our own files (`key=value`, `#` comments, no continuations). */
function readSettings(text: string): Record<string, string> {
  const settings: Record<string, string> = {};
  for (const line of text.split("\n")) {
    if (/^\s*([#!]|$)/.test(line)) continue;
    const at = line.indexOf("=");
    if (at > 0) settings[line.slice(0, at).trim()] = line.slice(at + 1).trim();
  }
  return settings;
}

/**
 * StringConverter text is compared byte for byte; JsonConverter with schemas keeps struct order (only Connect maps,
 * HashMaps in Java, may be reordered); without schemas every object is a HashMap in Java, so member order is free.
 */
function orderOf(settings: Record<string, string>, converterKey: string): Order {
  const converter = settings[converterKey] ?? "";
  if (!converter.endsWith("JsonConverter")) return "ordered";
  return settings[`${converterKey}.schemas.enable`] === "false" ? "unordered" : "envelope";
}

function typesOf(settings: Record<string, string>, prefix: "transforms" | "predicates"): string[] {
  return Object.entries(settings)
    .filter(([key]) => key.startsWith(`${prefix}.`) && key.endsWith(".type") && key.split(".").length === 3)
    .map(([, value]) => value);
}

export function loadChain(path: string): Chain {
  const text = readFileSync(path, "utf8");
  const input = /^#\s*input:\s*(\S+)/m.exec(text)?.[1];
  if (!input) throw new Error(`${path} has no "# input: <set>" comment`);
  const settings = readSettings(text);
  return {
    name: basename(path, ".properties"),
    path,
    input,
    about: /^#\s*(.*)$/m.exec(text)?.[1] ?? "",
    keyOrder: orderOf(settings, "key.converter"),
    valueOrder: orderOf(settings, "value.converter"),
    transforms: typesOf(settings, "transforms"),
    predicates: typesOf(settings, "predicates"),
  };
}

export function loadChains(dir = CHAINS_DIR): Chain[] {
  return readdirSync(dir)
    .filter((file) => file.endsWith(".properties"))
    .sort()
    .map((file) => loadChain(join(dir, file)));
}
