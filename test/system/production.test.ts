import { execFile, spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { cp, mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startSimulator, type Simulator } from "../../src/simulator/server.js";
import { get, ownSamples, TOKEN } from "../harness.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NPM_CI = ["ci", "--omit=dev", "--ignore-scripts", "--no-audit", "--no-fund"];
const NPM_CI_TIMEOUT_MS = 75_000;

interface PackageJson {
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
}

/** Runs npm in dir; the prefix variables npm exports to `npm test` would point it at the repo. */
function npm(args: string[], cwd: string): Promise<void> {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !/^npm_config_(local_)?prefix$/i.test(key)),
  );
  return new Promise((resolve, reject) => {
    execFile("npm", args, { cwd, env, timeout: NPM_CI_TIMEOUT_MS }, (error, stdout, stderr) => {
      if (!error) {
        resolve();
        return;
      }
      reject(
        new Error(
          `npm ${args.join(" ")} failed in the production copy; the smoke test needs the npm ` +
            `registry (is it reachable?): ${error.message}\n${stdout}${stderr}`,
        ),
      );
    });
  });
}

/** Builds what the image's runtime stage holds: package.json, production node_modules, dist/ (the runbook page among it), the dashboard. */
async function productionCopy(dir: string): Promise<void> {
  for (const file of ["package.json", "package-lock.json", "grafana/dashboard.json"]) {
    await cp(join(ROOT, file), join(dir, file));
  }
  await cp(join(ROOT, "dist"), join(dir, "dist"), { recursive: true });
  await npm(NPM_CI, dir);
}

async function installedPackages(dir: string): Promise<Set<string>> {
  const names = new Set<string>();
  const top = join(dir, "node_modules");
  for (const entry of await readdir(top)) {
    if (entry.startsWith("@")) {
      for (const scoped of await readdir(join(top, entry))) names.add(`${entry}/${scoped}`);
    } else if (!entry.startsWith(".")) {
      names.add(entry);
    }
  }
  return names;
}

function metricsUrl(child: ChildProcessWithoutNullStreams, output: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no listening line: ${output.join("")}`)),
      10_000,
    );
    const look = () => {
      const match = /"metrics":"([^"]+)"/.exec(output.join(""));
      if (!match?.[1]) return;
      clearTimeout(timer);
      child.stdout.off("data", look);
      resolve(match[1]);
    };
    child.stdout.on("data", look);
    child.once("exit", (code) => reject(new Error(`exited ${code}: ${output.join("")}`)));
  });
}

async function untilUp(url: string): Promise<void> {
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    if (ownSamples((await get(url)).body).get("useapi_minimax_up") === 1) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("the production copy never reported useapi_minimax_up 1");
}

describe("the production install (what the container image runs)", () => {
  let dir = "";
  let simulator: Simulator | undefined;
  let child: ChildProcessWithoutNullStreams | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "useapi-minimax-exporter-production-"));
  });

  afterAll(async () => {
    child?.kill("SIGKILL");
    await simulator?.close();
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("installs without devDependencies, polls the upstream, serves the dashboard and the runbook and exits 0 on SIGTERM", async () => {
    await productionCopy(dir);
    const manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as PackageJson;
    const installed = await installedPackages(dir);
    for (const name of Object.keys(manifest.dependencies)) expect(installed).toContain(name);
    for (const name of [
      ...Object.keys(manifest.devDependencies),
      "vitest",
      "typescript",
      "eslint",
    ]) {
      expect(installed).not.toContain(name);
    }

    simulator = await startSimulator({ token: TOKEN, accounts: 2 });
    const output: string[] = [];
    child = spawn(
      process.execPath,
      ["dist/main.js", `--useapi.base-url=${simulator.url}`, "--web.listen-address=127.0.0.1:0"],
      { cwd: dir, env: { PATH: process.env["PATH"] ?? "", USEAPI_TOKEN: TOKEN } },
    );
    child.stdout.setEncoding("utf8").on("data", (d: string) => output.push(d));
    child.stderr.setEncoding("utf8").on("data", (d: string) => output.push(d));
    const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
      child?.once("exit", (code, signal) => resolve({ code, signal })),
    );

    const url = await metricsUrl(child, output);
    await untilUp(url);
    const dashboard = await get(new URL("/grafana/dashboard.json", url).href);
    expect(dashboard.status).toBe(200);
    expect(JSON.parse(dashboard.body)).toEqual(
      JSON.parse(await readFile(join(ROOT, "grafana/dashboard.json"), "utf8")),
    );
    const runbook = await get(new URL("/runbook", url).href);
    expect(runbook.status).toBe(200);
    expect(runbook.body).toContain('<h2 id="useapiminimaxexporterdown">');

    child.kill("SIGTERM");
    expect(await exit).toEqual({ code: 0, signal: null });
    child = undefined;
  }, 90_000);
});
