// biome-ignore-all lint/suspicious/noTemplateCurlyInString: `${topic}`-style placeholders are Kafka's literal syntax here
import { describe, expect, test } from "bun:test";
import fc from "fast-check";
import { DataError } from "../../../src/api/errors.ts";
import type { SinkRecord } from "../../../src/api/record.ts";
import { compileJavaPattern, javaMatches } from "../../../src/data/transforms/java-regex.ts";
import { RegexRouter } from "../../../src/data/transforms/regex-router.ts";

const sinkRecord = (topic: string): SinkRecord => ({
  topic,
  kafkaPartition: 0,
  keySchema: null,
  key: null,
  valueSchema: null,
  value: null,
  timestamp: 0,
  headers: [],
  kafkaOffset: 0,
  timestampType: "CreateTime",
});

const route = (regex: string, replacement: string, topic: string) => {
  const router = new RegexRouter();
  router.configure({ regex, replacement });
  const routed = router.apply(sinkRecord(topic));
  router.close();
  return routed.topic;
};

describe("RegexRouter (Kafka's cases)", () => {
  test("static replacement", () => expect(route("foo", "bar", "foo")).toBe("bar"));
  test("no match leaves the topic", () => expect(route("foo", "bar", "orig")).toBe("orig"));
  test("identity", () => expect(route("(.*)", "$1", "orig")).toBe("orig"));
  test("add prefix", () => expect(route("(.*)", "prefix-$1", "orig")).toBe("prefix-orig"));
  test("add suffix", () => expect(route("(.*)", "$1-suffix", "orig")).toBe("orig-suffix"));
  test("slice", () => expect(route("(.*)-(\\d\\d\\d\\d\\d\\d\\d\\d)", "$1", "index-20160117")).toBe("index"));
});

describe("RegexRouter", () => {
  test("the regex must match the whole topic, not a part", () => {
    expect(route("foo", "bar", "foobar")).toBe("foobar");
    expect(route("bar", "x", "foobar")).toBe("foobar");
  });

  test("keeps every other field and the record when nothing matches", () => {
    const router = new RegexRouter();
    router.configure({ regex: "a(.*)", replacement: "b$1" });
    const original = { ...sinkRecord("a1"), key: "k", headers: [{ key: "h", schema: null, value: 1 }] };
    const routed = router.apply(original);
    expect(routed).toEqual({ ...original, topic: "b1" });
    expect(original.topic).toBe("a1");
    const untouched = sinkRecord("zzz");
    expect(router.apply(untouched)).toBe(untouched);
  });

  test("Java's replaceFirst: the first find() match is replaced, even when matches() took another path", () => {
    // matches() needs `ab`, but find() stops at the first alternative `a`.
    expect(route("a|ab", "X", "ab")).toBe("Xb");
  });

  test("Java's replacement syntax: named groups, greedy group digits, escapes, unmatched groups", () => {
    expect(route("(?<db>\\w+)\\.(\\w+)", "${db}_$2", "shop.orders")).toBe("shop_orders");
    expect(route("(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)", "$11-$10-$1", "abcdefghijk")).toBe("k-j-a");
    expect(route("(a)", "$10", "a")).toBe("a0");
    expect(route("(a)", "\\$1", "a")).toBe("$1");
    expect(route("(a)|(b)", "[$1][$2]", "b")).toBe("[][b]");
  });

  test("a bad group reference fails matching records with Java's message, not configure", () => {
    const router = new RegexRouter();
    router.configure({ regex: "(a)", replacement: "$2" });
    expect(router.apply(sinkRecord("b")).topic).toBe("b");
    expect(() => router.apply(sinkRecord("a"))).toThrow(DataError);
    expect(() => router.apply(sinkRecord("a"))).toThrow("No group 2");
    const cases: Array<[string, string]> = [
      ["$", "Illegal group reference: group index is missing"],
      ["x\\", "character to be escaped is missing"],
      ["$a", "Illegal group reference"],
      ["${x", "named capturing group is missing trailing '}'"],
      ["${x}", "No group with name {x}"],
    ];
    for (const [replacement, message] of cases) {
      router.configure({ regex: "(a)", replacement });
      expect(() => router.apply(sinkRecord("a"))).toThrow(message);
    }
  });

  test("config errors: both keys required, regex must compile", () => {
    expect(() => new RegexRouter().configure({ replacement: "x" })).toThrow('Missing required configuration "regex"');
    expect(() => new RegexRouter().configure({ regex: "x" })).toThrow('Missing required configuration "replacement"');
    expect(() => new RegexRouter().configure({ regex: "(", replacement: "x" })).toThrow(
      "Invalid value ( for configuration regex: Invalid regex: Unclosed group near index 1\n(",
    );
    expect(new RegexRouter().config().names()).toEqual(["regex", "replacement"]);
  });
});

describe("Java regex translation", () => {
  const matches = (pattern: string, input: string) => javaMatches(compileJavaPattern(pattern), input);

  test("constructs whose meaning differs from JS", () => {
    expect(matches(".", "\u0085")).toBe(false);
    expect(matches("(?s).", "\u0085")).toBe(true);
    expect(matches("a$", "a")).toBe(true);
    expect(matches("\\Qa.b\\E+", "a.bb")).toBe(true);
    expect(matches("[\\Qa-b\\E]+", "-ab")).toBe(true);
    expect(matches("[]]", "]")).toBe(true);
    expect(matches("[^]a]", "b")).toBe(true);
    expect(matches("(?x) a b # comment", "ab")).toBe(true);
    expect(matches("\\s", "\u00a0")).toBe(false);
    expect(matches("\\h", "\u00a0")).toBe(true);
    expect(matches("\\x41\\u0042\\x{43}\\0104", "ABCD")).toBe(true);
    expect(matches("\\cA", "\u0001")).toBe(true);
    expect(matches("(a)\\11", "aa1")).toBe(true);
    expect(matches("(a)\\2", "a")).toBe(false);
    expect(matches("(?<x>a)\\k<x>", "aa")).toBe(true);
  });

  test("CASE_INSENSITIVE is ASCII-only and scoped as in Java", () => {
    expect(matches("(?i)[a-c]+", "ABC")).toBe(true);
    expect(matches("(?i)\\u00e9", "\u00c9")).toBe(false);
    expect(matches("(?i)[^a]", "A")).toBe(false);
    expect(matches("a(?i)b|c", "C")).toBe(true);
    expect(matches("a(?i:b)c", "aBc")).toBe(true);
    expect(matches("a(?i:b)c", "aBC")).toBe(false);
    expect(matches("(?i)x(?-i)y", "Xy")).toBe(true);
    expect(matches("(?i)x(?-i)y", "XY")).toBe(false);
  });

  test("POSIX and Unicode properties", () => {
    expect(matches("\\p{Alpha}+", "ab1")).toBe(false);
    expect(matches("\\p{Alnum}+", "ab1")).toBe(true);
    expect(matches("\\P{Digit}", "a")).toBe(true);
    expect(matches("\\p{L}+", "h\u00e9")).toBe(true);
    expect(matches("\\p{IsL}+", "h\u00e9")).toBe(true);
    expect(matches("[\\p{Alpha}\\d]+", "a1")).toBe(true);
  });

  test("syntax errors in Java's words", () => {
    const message = (pattern: string) => {
      try {
        compileJavaPattern(pattern);
        return "compiled";
      } catch (error) {
        return (error as Error).message;
      }
    };
    expect(message("*")).toBe("Dangling meta character '*' near index 0\n*\n^");
    expect(message("a**")).toBe("Dangling meta character '*' near index 2\na**\n  ^");
    expect(message("[")).toBe("Unclosed character class near index 0\n[\n^");
    expect(message("(")).toBe("Unclosed group near index 1\n(");
    expect(message("x{2,1}")).toBe("Illegal repetition range near index 5\nx{2,1}\n     ^");
    expect(message("\\y")).toBe("Illegal/unsupported escape sequence near index 1\n\\y\n ^");
    expect(message(")")).toBe("Unmatched closing ')'\n)");
  });

  test("what a JS engine cannot express is refused, never approximated", () => {
    for (const pattern of ["a*+", "(?>a)", "[a&&b]", "[a[b]]", "\\G", "\\X", "(?U)a", "\\p{InGreek}"])
      expect(() => compileJavaPattern(pattern)).toThrow("not supported by sluice");
  });

  test("a literal topic name always matches itself (property)", () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        expect(matches(`\\Q${text.replaceAll("\\E", "")}\\E`, text.replaceAll("\\E", ""))).toBe(true);
      }),
    );
  });
});
