import { readdirSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// The folder of a test file is its vitest project (vitest.config.ts). These checks read each file's
// text, so that a new file in the wrong folder fails here instead of slowing or breaking its project.

const TEST_DIR = new URL("../", import.meta.url);

function testFiles(project: string): { name: string; text: string }[] {
  const dir = new URL(`${project}/`, TEST_DIR);
  return readdirSync(dir)
    .filter((name) => name.endsWith(".test.ts"))
    .map((name) => ({ name, text: readFileSync(new URL(name, dir), "utf8") }));
}

/** Starts a server in this process. */
const SERVES = /\b(startStack|startSimulator|startTestSimulator|createServer)\(|\.?\blisten\(/;
/** Starts a child process, runs dist/ or needs a Debian binary (binaries.js, mixin.js: jsonnet). */
const SPAWNS = /"node:child_process"|\bdist\/|"\.\.\/(binaries|mixin)\.js"/;
/** Speaks to a network peer, which a unit test has none of. */
const NETWORK =
  /"(undici|node:http|node:https|node:net|node:tls)"|"\.\.\/(harness|certs|stall)\.js"/;

const SELF = "test-layout.test.ts";

describe("the test projects", () => {
  it("keeps every test file in test/unit, test/integration or test/system", () => {
    const loose = readdirSync(TEST_DIR).filter((name) => name.endsWith(".test.ts"));
    expect(loose).toEqual([]);
  });

  it.each(testFiles("unit").filter((file) => file.name !== SELF))(
    "unit/$name starts no server or process and opens no connection",
    ({ text }) => {
      expect(text).not.toMatch(SERVES);
      expect(text).not.toMatch(SPAWNS);
      expect(text).not.toMatch(NETWORK);
    },
  );

  it.each(testFiles("integration"))(
    "integration/$name starts a server in-process and no child process",
    ({ text }) => {
      expect(text).toMatch(SERVES);
      expect(text).not.toMatch(SPAWNS);
    },
  );

  it.each(testFiles("system"))("system/$name runs a child process or dist/", ({ text }) => {
    expect(text).toMatch(SPAWNS);
  });

  it("finds files in every project, so the checks above check something", () => {
    for (const project of ["unit", "integration", "system"]) {
      expect(testFiles(project).length, project).toBeGreaterThan(1);
    }
  });
});
