import { execFile, spawn } from "node:child_process";
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { within } from "../deadline.js";
import { accountSamples, get } from "../harness.js";
import { logRecords } from "../log-records.js";
import { DOCS_PAGES, localLinks, readDoc } from "../markdown.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const NPM_TIMEOUT_MS = 120_000;
const BIN = "useapi-minimax-exporter";

interface PackResult {
  filename: string;
  files: { path: string }[];
}

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  bin: Record<string, string>;
  license: string;
}

/** The environment without the prefix variables npm exports to `npm test`, which would point npm at the repo. */
function cleanEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(
      ([key]) => !/^npm_config_(local_|global_)?prefix$/i.test(key),
    ),
  );
}

function run(command: string, args: string[], cwd: string): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, env: cleanEnv(), timeout: NPM_TIMEOUT_MS },
      (error, stdout, stderr) => {
        if (error) {
          reject(new Error(`${command} ${args.join(" ")} failed: ${error.message}\n${stderr}`));
        } else {
          resolve(stdout);
        }
      },
    );
  });
}

/** Runs the installed command in demo mode and resolves with its metrics URL once both sources polled. */
function startDemo(bin: string, output: string[]) {
  const child = spawn(bin, ["--demo", "--web.listen-address=127.0.0.1:0", "--log.format=json"], {
    env: cleanEnv(),
  });
  child.stdout.setEncoding("utf8").on("data", (d: string) => output.push(d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => output.push(d));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const polled = new Promise<string>((resolve, reject) => {
    const look = () => {
      const text = output.join("");
      const url = /"metrics":"([^"]+)"/.exec(text)?.[1];
      const succeeded = logRecords(text)
        .filter((r) => r.level === "info" && r.outcome === "success")
        .map((r) => r.source);
      const bothPolled = succeeded.includes("jobs") && succeeded.includes("accounts");
      if (url === undefined || !bothPolled) return;
      child.stdout.off("data", look);
      resolve(url);
    };
    child.stdout.on("data", look);
    void exited.then(({ code }) => reject(new Error(`exited ${code}: ${output.join("")}`)));
  });
  return { child, exited, polled };
}

describe("the npm package", () => {
  let dir = "";
  let pack: PackResult | undefined;
  let manifest: PackageJson | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "useapi-minimax-exporter-package-"));
    manifest = JSON.parse(await readFile(join(ROOT, "package.json"), "utf8")) as PackageJson;
    // dist/ is the one the global setup compiled; prepack would rebuild it under the other tests.
    const json = await run(
      "npm",
      ["pack", "--json", "--ignore-scripts", "--pack-destination", dir],
      ROOT,
    );
    pack = (JSON.parse(json) as PackResult[])[0];
  }, NPM_TIMEOUT_MS);

  afterAll(async () => {
    if (dir !== "") await rm(dir, { recursive: true, force: true });
  });

  it("is publishable: not private, with a bin in dist/", () => {
    expect(manifest?.private).not.toBe(true);
    expect(manifest?.bin).toEqual({ [BIN]: "dist/main.js" });
  });

  it("ships only what runs and what monitors it: the compiled JavaScript, the runbook page, the mixin and its render, package.json, README, the pages of docs/, CHANGELOG and LICENSE", () => {
    const paths = (pack?.files ?? []).map((file) => file.path);
    expect(paths).toContain("dist/main.js");
    expect(paths).toContain("dist/runbook.html");
    expect(paths).toContain("dist/simulator/server.js");
    expect(paths).toContain("grafana/dashboard.json");
    expect(paths).toContain("mixin/mixin.libsonnet");
    expect(paths).toContain("prometheus/rules.yml");
    const extra = paths.filter(
      (path) =>
        !/^dist\/.+\.js$/.test(path) &&
        !/^mixin\/(.+\.libsonnet|render\.jsonnet)$/.test(path) &&
        !/^docs\/[a-z-]+\.md$/.test(path) &&
        ![
          "dist/runbook.html",
          "package.json",
          "README.md",
          "CHANGELOG.md",
          "LICENSE",
          "grafana/dashboard.json",
          "prometheus/alerts.yml",
          "prometheus/rules.yml",
        ].includes(path),
    );
    expect(extra).toEqual([]);
  });

  it("ships every file the README links to, the pages of docs/ among them", () => {
    const paths = (pack?.files ?? []).map((file) => file.path);
    const linked = localLinks(readDoc("README.md"))
      .map((target) => target.split("#")[0] ?? "")
      .filter((path) => path !== "");
    expect(linked).toEqual(expect.arrayContaining(DOCS_PAGES));
    expect(linked.filter((path) => !paths.includes(path))).toEqual([]);
  });

  it("ships the MIT license that package.json names, with its copyright line", () => {
    expect(manifest?.license).toBe("MIT");
    expect((pack?.files ?? []).map((file) => file.path)).toContain("LICENSE");
    const license = readDoc("LICENSE");
    expect(license).toMatch(
      /^MIT License\n\nCopyright \(c\) 2026 the useapi-minimax-exporter authors\n/,
    );
    expect(license).toContain("Permission is hereby granted, free of charge");
  });

  it(
    "installs from the tarball into a prefix, whose command prints its version and serves a demo scrape and the runbook",
    async () => {
      const tarball = join(dir, pack?.filename ?? "missing.tgz");
      const prefix = join(dir, "prefix");
      await run(
        "npm",
        ["install", "--global", "--prefix", prefix, "--no-audit", "--no-fund", tarball],
        dir,
      );
      const bin = join(prefix, "bin", BIN);

      const version = await run(bin, ["--version"], dir);
      expect(version).toMatch(
        new RegExp(`^${BIN} ${(manifest?.version ?? "").replaceAll(".", "\\.")} \\(Node\\.js v`),
      );

      const output: string[] = [];
      const demo = startDemo(bin, output);
      try {
        const url = await within(
          demo.polled,
          "the demo's jobs and accounts polls to succeed",
          15_000,
        );
        const answer = await get(url);
        expect(answer.status).toBe(200);
        // Two gauges for each of the built-in simulator's 6 accounts (its default).
        expect(accountSamples(answer.body).size).toBe(12);
        const runbook = await get(new URL("/runbook", url).href);
        expect(runbook.status).toBe(200);
        expect(runbook.body).toContain('<h2 id="useapiminimaxexporterdown">');
      } finally {
        demo.child.kill("SIGTERM");
      }
      expect(await demo.exited).toEqual({ code: 0, signal: null });
    },
    NPM_TIMEOUT_MS * 2,
  );
});
