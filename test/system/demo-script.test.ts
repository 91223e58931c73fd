import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { parse } from "yaml";
import { readCommandLine } from "../../src/cli.js";
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

/** The package's scripts, as a fresh clone has them. */
async function scripts(): Promise<Record<string, string>> {
  const json = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as {
    scripts: Record<string, string>;
  };
  return json.scripts;
}

/** The demo script without its build step, on a free port. */
async function demoScript(): Promise<string> {
  const demo = (await scripts())["demo"] ?? "";
  expect(demo.startsWith(BUILD)).toBe(true);
  const script = demo
    .slice(BUILD.length)
    .replace("--web.listen-address=127.0.0.1:9877", "--web.listen-address=127.0.0.1:0");
  expect(script).toContain("--web.listen-address=127.0.0.1:0");
  return script;
}

/**
 * Runs `npm run <name> -- <args>` as npm runs it (npm, then /bin/sh -c, then node), but in a
 * package of its own whose dist/ is this one's, sends the whole process group SIGINT (Ctrl-C in a
 * terminal) once the jobs polls succeed, and gives npm's exit and the output.
 */
async function ctrlC(name: string, script: string, args: readonly string[] = []) {
  dir = await mkdtemp(join(tmpdir(), "demo-script-"));
  await symlink(join(ROOT, "dist"), join(dir, "dist"));
  await writeFile(
    join(dir, "package.json"),
    JSON.stringify({ name: "demo-script", version: "0.0.0", scripts: { [name]: script } }),
  );
  // Its own process group, as a terminal's foreground job: Ctrl-C signals the whole group.
  const argv = ["run", name, ...(args.length > 0 ? ["--", ...args] : [])];
  const child = spawn("npm", argv, { cwd: dir, env: cleanEnv(), detached: true });
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
  await within(polled, `the jobs polls of npm run ${name} to succeed`, 10_000);
  process.kill(-group, "SIGINT");
  const exit = await exited;
  group = undefined;
  return { exit, output: output.join("") };
}

describe("Ctrl-C on the npm scripts", () => {
  // The real demo script would first rebuild dist/ under the other tests (tsc, several seconds),
  // and listens on the fixed port 9877.
  it("npm run demo exits 0 when Ctrl-C sends SIGINT to npm, its shell and the exporter", async () => {
    const { exit, output } = await ctrlC("demo", await demoScript());
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/^ts=\S+ level=info .*\bsignal=SIGINT$/m);
  });

  it("npm start exits 0 on Ctrl-C too: its script execs node, so npm reports node's exit", async () => {
    const start = (await scripts())["start"] ?? "";
    expect(start).toMatch(/^(\w+=\S+ )*exec node (--\S+ )*dist\/main\.js$/);
    const args = ["--demo", "--web.listen-address=127.0.0.1:0", "--log.format=logfmt"];
    const { exit, output } = await ctrlC("start", start, args);
    expect(exit, output).toEqual({ code: 0, signal: null });
    expect(output).toMatch(/^ts=\S+ level=info .*\bsignal=SIGINT$/m);
  });
});

/** The exporter's command in docker-compose.yml, the other demo. */
async function composeCommand(): Promise<string[]> {
  const compose = parse(await readFile(join(ROOT, "docker-compose.yml"), "utf8")) as {
    services: { exporter: { command: string[] } };
  };
  return compose.services.exporter.command;
}

describe("the demo's intervals", () => {
  it.each([
    ["npm run demo", async () => (await demoScript()).split(" ").filter((w) => w.startsWith("--"))],
    ["docker compose", composeCommand],
  ])(
    "%s polls every source within 10 s, so that every section of the landing page fills in seconds",
    async (_name, flags) => {
      const argv = await flags();
      expect(argv).toContain("--demo");
      const command = readCommandLine({ argv, env: {} });
      if (command.kind !== "run") throw new Error(`the demo's flags give ${command.kind}`);
      const intervals = Object.fromEntries(
        command.config.sources
          .filter((source) => source.settings["intervalSeconds"] !== undefined)
          .map((source) => [source.module.name, source.settings["intervalSeconds"]]),
      );
      expect(Object.keys(intervals).sort()).toEqual(
        ["accounts", "credits", "jobs", "scheduler", "subscription", "usage"].sort(),
      );
      for (const [name, seconds] of Object.entries(intervals)) {
        expect(seconds, name).toBeGreaterThan(0);
        expect(seconds, name).toBeLessThanOrEqual(10);
      }
    },
  );
});
