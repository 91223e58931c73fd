import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { DOCS_PAGES, readDoc } from "../markdown.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const PACKAGE = JSON.parse(
  readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
) as {
  name: string;
  version: string;
};
/** What a user reads: the README and the pages of docs/. */
const pages = ["README.md", ...DOCS_PAGES].map((page) => [page, readDoc(page)] as const);

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
  it("ignores every token file the README and docs/ tell the user to write", () => {
    const names = pages.flatMap(([, text]) =>
      [...text.matchAll(/> *([\w./-]+) && chmod 600/g)].map((m) => m[1] ?? ""),
    );
    expect(new Set(names)).toEqual(new Set(["token"]));
    for (const name of names) expect(ignored(name), name).toBe(true);
  });

  it("ignores *.token files but not the source that handles tokens", () => {
    expect(ignored("prod.token")).toBe(true);
    expect(ignored("src/token.ts")).toBe(false);
    expect(ignored("test/integration/token.test.ts")).toBe(false);
  });

  it("ignores the tarball `npm pack` writes, which the docs tell the user to make", () => {
    const tarballs = pages.flatMap(([, text]) =>
      [...text.matchAll(/npm install -g \.\/([\w.-]+\.tgz)/g)].map((m) => m[1] ?? ""),
    );
    // What `npm pack` names it: <name>-<version>.tgz of package.json.
    expect(new Set(tarballs)).toEqual(new Set([`${PACKAGE.name}-${PACKAGE.version}.tgz`]));
    for (const name of tarballs) expect(ignored(name), name).toBe(true);
    expect(ignored("useapi-minimax-exporter-9.9.9.tgz")).toBe(true);
  });
});

describe("the token files the README and docs/ make", () => {
  it("are never readable by other users (no chmod that grants world read)", () => {
    const modes = pages.flatMap(([page, text]) =>
      [...text.matchAll(/chmod ([0-7]{3,4}) ([\w./-]+)/g)].map((m) => [page, m[1] ?? "", m[2]]),
    );
    // 640 for the container, which reads it through the owner's group (--group-add).
    expect(new Set(modes.map(([, mode, file]) => `chmod ${mode} ${file}`))).toEqual(
      new Set(["chmod 600 token", "chmod 640 token"]),
    );
    for (const [page, mode = "", file] of modes)
      expect(parseInt(mode, 8) & 0o007, `${page}: chmod ${mode} ${file}`).toBe(0);
  });
});
