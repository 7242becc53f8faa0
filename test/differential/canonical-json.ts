/**
 * Canonical text of a converter's output, for comparing Java's and sluice's bytes where only member order may
 * legitimately differ. Scalars keep their source text (so `12.0` vs `12`, `1.0E300` vs `1e300` or `\u00e9` vs `é`
 * stay differences); only the members of objects whose order Java does not fix are sorted:
 *
 * - "ordered": nothing is sorted, so equality is byte identity up to whitespace.
 * - "unordered": every object is sorted (schemaless JSON: Java builds those maps as HashMaps).
 * - "envelope": a JsonConverter `{"schema","payload"}` envelope; the schema and struct payloads keep their order,
 *   and only Connect maps (HashMaps again) are sorted, found by walking the payload with its schema.
 */

export type Order = "ordered" | "unordered" | "envelope";

type Node =
  | { kind: "scalar"; raw: string }
  | { kind: "array"; items: Node[] }
  | { kind: "object"; members: Array<{ rawKey: string; key: string; value: Node }> };

class Reader {
  private at = 0;
  constructor(private readonly text: string) {}

  document(): Node {
    const node = this.value();
    this.space();
    if (this.at !== this.text.length) this.fail("trailing text");
    return node;
  }

  private fail(why: string): never {
    throw new SyntaxError(`${why} at ${this.at} in ${this.text.slice(0, 80)}`);
  }

  private space(): void {
    while (/[ \t\n\r]/.test(this.text[this.at] ?? "")) this.at++;
  }

  private value(): Node {
    this.space();
    const c = this.text[this.at];
    if (c === "{") return this.object();
    if (c === "[") return this.array();
    if (c === '"') return { kind: "scalar", raw: this.string() };
    const match = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(this.text.slice(this.at));
    if (!match) this.fail("unexpected character");
    this.at += match[0].length;
    return { kind: "scalar", raw: match[0] };
  }

  private string(): string {
    const start = this.at++;
    while (this.at < this.text.length) {
      const c = this.text[this.at++];
      if (c === "\\") this.at++;
      else if (c === '"') return this.text.slice(start, this.at);
    }
    return this.fail("unterminated string");
  }

  private array(): Node {
    this.at++;
    const items: Node[] = [];
    this.space();
    if (this.text[this.at] === "]") {
      this.at++;
      return { kind: "array", items };
    }
    for (;;) {
      items.push(this.value());
      this.space();
      const c = this.text[this.at++];
      if (c === "]") return { kind: "array", items };
      if (c !== ",") this.fail("expected , or ]");
    }
  }

  private object(): Node {
    this.at++;
    const members: Array<{ rawKey: string; key: string; value: Node }> = [];
    this.space();
    if (this.text[this.at] === "}") {
      this.at++;
      return { kind: "object", members };
    }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail("expected a member name");
      const rawKey = this.string();
      this.space();
      if (this.text[this.at++] !== ":") this.fail("expected :");
      members.push({ rawKey, key: JSON.parse(rawKey) as string, value: this.value() });
      this.space();
      const c = this.text[this.at++];
      if (c === "}") return { kind: "object", members };
      if (c !== ",") this.fail("expected , or }");
    }
  }
}

/** Parses JSON keeping every scalar's source text; throws a SyntaxError on anything that is not JSON. */
export function readJson(text: string): Node {
  return new Reader(text).document();
}

function write(node: Node, sortAll: boolean): string {
  if (node.kind === "scalar") return node.raw;
  if (node.kind === "array") return `[${node.items.map((item) => write(item, sortAll)).join(",")}]`;
  const members = node.members.map((m) => `${m.rawKey}:${write(m.value, sortAll)}`);
  return `{${(sortAll ? members.sort() : members).join(",")}}`;
}

const member = (node: Node | undefined, key: string): Node | undefined =>
  node?.kind === "object" ? node.members.find((m) => m.key === key)?.value : undefined;

const scalarText = (node: Node | undefined): string | undefined =>
  node?.kind === "scalar" && node.raw.startsWith('"') ? (JSON.parse(node.raw) as string) : undefined;

/** The payload written in schema order, with Connect maps sorted (as objects, or as `[key, value]` pair arrays). */
function writePayload(payload: Node, schema: Node | undefined): string {
  const type = scalarText(member(schema, "type"));
  if (type === "struct" && payload.kind === "object") {
    const fields = member(schema, "fields");
    const fieldSchema = (name: string) =>
      fields?.kind === "array" ? fields.items.find((f) => scalarText(member(f, "field")) === name) : undefined;
    return `{${payload.members.map((m) => `${m.rawKey}:${writePayload(m.value, fieldSchema(m.key))}`).join(",")}}`;
  }
  if (type === "array" && payload.kind === "array") {
    return `[${payload.items.map((item) => writePayload(item, member(schema, "items"))).join(",")}]`;
  }
  if (type === "map" && payload.kind === "object") {
    const values = member(schema, "values");
    return `{${payload.members
      .map((m) => `${m.rawKey}:${writePayload(m.value, values)}`)
      .sort()
      .join(",")}}`;
  }
  if (type === "map" && payload.kind === "array") {
    const keys = member(schema, "keys");
    const values = member(schema, "values");
    const pair = (p: Node) =>
      p.kind === "array" && p.items.length === 2
        ? `[${writePayload(p.items[0] as Node, keys)},${writePayload(p.items[1] as Node, values)}]`
        : write(p, false);
    return `[${payload.items.map(pair).sort().join(",")}]`;
  }
  return write(payload, false);
}

/** The canonical text of `text` under `order`; text that is not JSON is its own canonical form. */
export function canonicalJson(text: string, order: Order): string {
  let node: Node;
  try {
    node = readJson(text);
  } catch {
    return text;
  }
  if (order === "ordered") return write(node, false);
  if (order === "unordered") return write(node, true);
  const keys = node.kind === "object" ? node.members.map((m) => m.key).join(",") : "";
  if (keys !== "schema,payload") return write(node, false);
  const schema = member(node, "schema") as Node;
  const payload = member(node, "payload") as Node;
  return `{"schema":${write(schema, false)},"payload":${writePayload(payload, schema)}}`;
}

/** `text` with every number token passed through `map` (member order and everything else kept); non-JSON as is. */
export function mapNumbers(text: string, map: (raw: string) => string): string {
  let node: Node;
  try {
    node = readJson(text);
  } catch {
    return text;
  }
  const visit = (n: Node): Node => {
    if (n.kind === "array") return { kind: "array", items: n.items.map(visit) };
    if (n.kind === "object")
      return { kind: "object", members: n.members.map((m) => ({ ...m, value: visit(m.value) })) };
    return /^-?\d/.test(n.raw) ? { kind: "scalar", raw: map(n.raw) } : n;
  };
  return write(visit(node), false);
}
