import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

// docs/development.md: "no import cycle between files or folders", type-only imports included.

const SRC = fileURLToPath(new URL("../../src/", import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith(".ts") ? [path] : [];
  });
}

/** Each file of src/ (relative) with the files of src/ it imports or re-exports from. */
function importGraph(): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const file of sourceFiles(SRC)) {
    const text = readFileSync(file, "utf8");
    const targets = [...text.matchAll(/^(?:import|export)\s[^;]*?\sfrom\s+"(\.{1,2}\/[^"]+)"/gm)]
      .map((m) => resolve(dirname(file), (m[1] ?? "").replace(/\.js$/, ".ts")))
      .map((target) => relative(SRC, target));
    graph.set(relative(SRC, file), targets);
  }
  return graph;
}

/** A file's folder: the first folder under src/, or the file itself for those directly in src/. */
const folderOf = (file: string) => (file.includes("/") ? `${file.split("/")[0]}/` : file);

function folderGraph(files: Map<string, string[]>): Map<string, string[]> {
  const graph = new Map<string, Set<string>>();
  for (const [file, targets] of files) {
    const from = folderOf(file);
    const edges = graph.get(from) ?? new Set<string>();
    for (const target of targets) if (folderOf(target) !== from) edges.add(folderOf(target));
    graph.set(from, edges);
  }
  return new Map([...graph].map(([node, edges]) => [node, [...edges]]));
}

/** Every cycle a depth-first walk meets, as "a -> b -> a". */
function cycles(graph: Map<string, string[]>): string[] {
  const found: string[] = [];
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (node: string) => {
    state.set(node, "open");
    path.push(node);
    for (const next of graph.get(node) ?? []) {
      if (state.get(next) === "open")
        found.push([...path.slice(path.indexOf(next)), next].join(" -> "));
      else if (state.get(next) === undefined) visit(next);
    }
    path.pop();
    state.set(node, "done");
  };
  for (const node of graph.keys()) if (state.get(node) === undefined) visit(node);
  return found;
}

describe("the imports of src/", () => {
  const files = importGraph();

  it("reads the imports it checks", () => {
    expect(files.get("exporter.ts")).toContain("sources/start.ts");
    expect(files.get("sources/poll-loop.ts")).toContain("clock/clock.ts");
    expect(
      cycles(
        new Map([
          ["a", ["b"]],
          ["b", ["a"]],
        ]),
      ),
    ).toEqual(["a -> b -> a"]);
  });

  it("form no cycle between files", () => {
    expect(cycles(files)).toEqual([]);
  });

  it("form no cycle between folders", () => {
    expect(cycles(folderGraph(files))).toEqual([]);
  });

  it("keep the simulator to leaf helpers of the exporter", () => {
    const outside = [...files]
      .filter(([file]) => file.startsWith("simulator/"))
      .flatMap(([, targets]) => targets.filter((target) => !target.startsWith("simulator/")));
    expect(outside).toContain("version.ts");
    const leaf = /^(version\.ts|logging\/|config\/flag-table\.ts)/;
    expect(outside.filter((target) => !leaf.test(target))).toEqual([]);
  });
});
