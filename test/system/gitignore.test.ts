import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const readme = readFileSync(new URL("../../README.md", import.meta.url), "utf8");

/** Whether git would leave `path` out of `git add .`. */
function ignored(path: string): boolean {
  try {
    execFileSync("git", ["check-ignore", "--no-index", "-q", path], { cwd: ROOT });
    return true;
  } catch (error) {
    if ((error as { status?: number }).status === 1) return false;
    throw error;
  }
}

describe(".gitignore", () => {
  it("ignores every token file the README tells the user to write", () => {
    const names = [...readme.matchAll(/> *([\w./-]+) && chmod 600/g)].map((m) => m[1] ?? "");
    expect(names.length).toBeGreaterThan(0);
    for (const name of names) expect(ignored(name), name).toBe(true);
  });

  it("ignores *.token files but not the source that handles tokens", () => {
    expect(ignored("prod.token")).toBe(true);
    expect(ignored("src/token.ts")).toBe(false);
    expect(ignored("test/integration/token.test.ts")).toBe(false);
  });
});
