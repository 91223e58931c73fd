import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { within } from "../deadline.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
/** The logfmt line of the jobs list's polls turning successful, by its fields. */
const JOBS_SUCCEED = /^ts=\S+ level=info .*\bsource=jobs outcome=success\b/m;
const BUILD = "npm run build && ";

let dir = "";
/** The process group of the npm run under test, ended if a failed test left it running. */
let group: number | undefined;
afterEach(async () => {
  if (group !== undefined) {
    try {
      process.kill(-group, "SIGKILL");
    } catch {
      // Already gone.
    }
  }
  group = undefined;
  if (dir !== "") await rm(dir, { recursive: true, force: true });
  dir = "";
});

/** The environment without the prefix variables npm exports to `npm test`, which would point npm at the repo. */
const cleanEnv = (): NodeJS.ProcessEnv =>
  Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_config_(local_|global_)?prefix$/i.test(key),
    ),
  );

describe("npm run demo", () => {
  // The script runs as npm runs it (npm, then /bin/sh -c, then node), but in a package of its own
  // whose dist/ is this one's: the real script would first rebuild dist/ under the other tests
  // (tsc, several seconds), and listens on the fixed port 9877.
  it("exits 0 when Ctrl-C sends SIGINT to npm, its shell and the exporter", async () => {
    const { scripts } = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
      scripts: Record<string, string>;
    };
    const demo = scripts["demo"] ?? "";
    expect(demo.startsWith(BUILD)).toBe(true);
    dir = await mkdtemp(join(tmpdir(), "demo-script-"));
    await symlink(join(ROOT, "dist"), join(dir, "dist"));
    const script = demo
      .slice(BUILD.length)
      .replace("--web.listen-address=127.0.0.1:9877", "--web.listen-address=127.0.0.1:0");
    expect(script).toContain("--web.listen-address=127.0.0.1:0");
    await writeFile(
      join(dir, "package.json"),
      JSON.stringify({ name: "demo-script", version: "0.0.0", scripts: { demo: script } }),
    );

    // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
    const child = spawn("npm", ["run", "demo"], { cwd: dir, env: cleanEnv(), detached: true });
    if (child.pid === undefined) throw new Error("npm did not start");
    group = child.pid;
    const output: string[] = [];
    const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child.once("exit", (code, signal) => resolve({ code, signal })),
    );
    const polled = new Promise<void>((resolve, reject) => {
      const look = (data: string) => {
        output.push(data);
        if (JOBS_SUCCEED.test(output.join(""))) resolve();
      };
      child.stdout.setEncoding("utf8").on("data", look);
      child.stderr.setEncoding("utf8").on("data", (data: string) => output.push(data));
      void exited.then(({ code }) => reject(new Error(`exited ${code}: ${output.join("")}`)));
    });
    await within(polled, "the demo's jobs polls to succeed", 10_000);
    process.kill(-group, "SIGINT");
    expect(await exited, output.join("")).toEqual({ code: 0, signal: null });
    group = undefined;
    expect(output.join("")).toMatch(/^ts=\S+ level=info .*\bsignal=SIGINT$/m);
  });
});
