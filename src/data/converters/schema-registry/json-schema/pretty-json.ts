/**
 * `json.indent.output=true`: compact JSON text laid out as Jackson's DefaultPrettyPrinter lays it out, which
 * Confluent's serializer then uses. Objects put each entry on its own line, indented two spaces per object level,
 * with ` : ` between name and value; arrays stay on one line with spaces inside (`[ 1, 2 ]`) and add no level;
 * empty ones are `{ }` and `[ ]`. The line feed is `\n` (Jackson takes the system's: a Linux worker's).
 */
export function prettyJson(compact: string): string {
  let out = "";
  let level = 0;
  /** Per open container, whether it is an array. */
  const arrays: boolean[] = [];
  const newline = () => `\n${"  ".repeat(level)}`;
  for (let i = 0; i < compact.length; i++) {
    const c = compact[i] as string;
    if (c === '"') {
      let end = i + 1;
      while (compact[end] !== '"') end += compact[end] === "\\" ? 2 : 1;
      out += compact.slice(i, end + 1);
      i = end;
    } else if (c === "{" || c === "[") {
      const array = c === "[";
      if (compact[i + 1] === (array ? "]" : "}")) {
        out += array ? "[ ]" : "{ }";
        i++;
        continue;
      }
      arrays.push(array);
      if (array) out += "[ ";
      else {
        level++;
        out += `{${newline()}`;
      }
    } else if (c === "}") {
      arrays.pop();
      level--;
      out += `${newline()}}`;
    } else if (c === "]") {
      arrays.pop();
      out += " ]";
    } else if (c === ":") out += " : ";
    else if (c === ",") out += arrays[arrays.length - 1] ? ", " : `,${newline()}`;
    else out += c;
  }
  return out;
}
