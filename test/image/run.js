// `npm run image:test`: builds the real Dockerfile with podman on a locally assembled base image and
// checks the container. Prints one line per check, the image size, and "image test: N passed, N failed".
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import console from "node:console";
import { performance } from "node:perf_hooks";
import process from "node:process";
import { clearTimeout, setTimeout } from "node:timers";
import { fileURLToPath, URL } from "node:url";
import { assembleRoot, importBase } from "./base.js";
import { inspectContents } from "./contents.js";
import { writeNpmSecrets } from "./npm-secret.js";
import { LIMITS, podman, podmanOk } from "./podman.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const BUILD_TIMEOUT_MS = 15 * 60_000;
const START_TIMEOUT_MS = 60_000;
const STOP_GRACE_S = 5;
const PORT = 9877;

const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const major = /^ARG NODE_VERSION=(\d+)/m.exec(readFileSync(join(ROOT, "Dockerfile"), "utf8"))?.[1];
const tag = `${process.pid}-${Date.now().toString(36)}`;
const base = `localhost/useapi-minimax-exporter-base:${tag}`;
const image = `localhost/useapi-minimax-exporter-test:${tag}`;
const containers = [];
const results = { passed: 0, failed: 0 };

function check(name, ok, detail = "") {
  results[ok ? "passed" : "failed"] += 1;
  console.log(`${ok ? "ok    " : "FAILED"} ${name}${ok || detail === "" ? "" : `: ${detail}`}`);
}

function git(args, fallback) {
  try {
    return execFileSync("git", args, {
      cwd: ROOT,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return fallback;
  }
}

/** Runs a container of the image hardened as a cluster would run it: read-only, no capabilities, no network. */
function runArgs(name, extra, command) {
  containers.push(name);
  return [
    "run",
    "--name",
    name,
    "--network=none",
    "--read-only",
    "--read-only-tmpfs=false",
    "--cap-drop=ALL",
    "--security-opt=no-new-privileges",
    ...LIMITS,
    ...extra,
    image,
    ...command,
  ];
}

/** Resolves when a line of `podman logs -f name` matches every pattern; rejects after timeoutMs. */
function waitForLogs(name, patterns, timeoutMs) {
  return new Promise((resolve, reject) => {
    const logs = spawn("podman", ["--runtime", "runc", "logs", "-f", name], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const pending = new Set(patterns);
    let seen = "";
    const onData = (chunk) => {
      seen += chunk;
      for (const pattern of pending) if (pattern.test(seen)) pending.delete(pattern);
      if (pending.size === 0) finish();
    };
    const timer = setTimeout(
      () =>
        finish(
          new Error(`not seen within ${timeoutMs / 1000} s: ${[...pending].join(", ")}\n${seen}`),
        ),
      timeoutMs,
    );
    function finish(error) {
      clearTimeout(timer);
      logs.kill();
      if (error) reject(error);
      else resolve(seen);
    }
    logs.stdout.setEncoding("utf8").on("data", onData);
    logs.stderr.setEncoding("utf8").on("data", onData);
    logs.on("close", () =>
      pending.size === 0
        ? undefined
        : finish(
            new Error(`the container's log ended before: ${[...pending].join(", ")}\n${seen}`),
          ),
    );
  });
}

/** Fetches a path of the exporter from inside the container, whose network is its own. */
async function fetchInside(name, path) {
  const script = `fetch("http://127.0.0.1:${PORT}${path}").then(async (r) => { process.stdout.write(r.status + "\\n" + (await r.text())); })`;
  const out = await podmanOk(["exec", name, "node", "-e", script], { timeoutMs: 30_000 });
  const newline = out.indexOf("\n");
  return { status: Number(out.slice(0, newline)), body: out.slice(newline + 1) };
}

async function buildImage(source, revision) {
  const root = mkdtempSync(join(tmpdir(), "image-base-"));
  const secrets = mkdtempSync(join(tmpdir(), "image-secrets-"));
  try {
    const node = assembleRoot(root, major);
    await importBase(root, base);
    console.log(`base image ${base}: Node.js ${node} from npm's node package`);
    const build = [
      "build",
      "--format",
      "docker",
      "--network=host",
      "--layers=false",
      ...LIMITS,
      "--build-arg",
      `BASE_IMAGE=${base}`,
      "--build-arg",
      `SOURCE=${source}`,
      "--build-arg",
      `VERSION=${pkg.version}`,
      "--build-arg",
      `REVISION=${revision}`,
      ...writeNpmSecrets(secrets),
      "-t",
      image,
      "-f",
      join(ROOT, "Dockerfile"),
      ROOT,
    ];
    await podmanOk(build, { timeoutMs: BUILD_TIMEOUT_MS });
  } finally {
    rmSync(root, { recursive: true, force: true });
    rmSync(secrets, { recursive: true, force: true });
  }
}

async function checkImage(source, revision) {
  const [config] = JSON.parse(await podmanOk(["image", "inspect", image]));
  const labels = config.Config?.Labels ?? {};
  const expected = { source, version: pkg.version, revision };
  for (const [key, value] of Object.entries(expected)) {
    const label = labels[`org.opencontainers.image.${key}`];
    check(`OCI label ${key} is ${value}`, label === value, `it is ${label}`);
  }
  check(
    "the image runs as user node",
    config.Config?.User === "node",
    `User is ${config.Config?.User}`,
  );
  const healthcheck = config.Config?.Healthcheck ?? config.HealthCheck ?? config.Healthcheck;
  check(
    "the image has a HEALTHCHECK",
    Array.isArray(healthcheck?.Test),
    "none kept (podman build --format docker?)",
  );
  console.log(`image size: ${(config.Size / 1024 / 1024).toFixed(1)} MiB (${config.Size} bytes)`);

  const name = `image-test-contents-${tag}`;
  const contents = await podman(
    runArgs(name, ["--rm", "--entrypoint", "node"], ["-e", inspectContents]),
    { timeoutMs: 60_000 },
  );
  containers.pop();
  if (contents.code !== 0) {
    check("the image's contents can be listed", false, contents.stderr.trim());
    return;
  }
  const seen = JSON.parse(contents.stdout);
  check("the process runs as a non-root uid", seen.uid !== 0, `uid ${seen.uid}`);
  check(
    "the root filesystem is read-only",
    seen.writeError === "EROFS",
    `writing /tmp: ${seen.writeError}`,
  );
  const dev = Object.keys(pkg.devDependencies).filter((dep) => seen.packages.includes(dep));
  check("no devDependency is in the image", dev.length === 0, dev.join(", "));
  const prod = Object.keys(pkg.dependencies).filter((dep) => !seen.packages.includes(dep));
  check("every dependency is in the image", prod.length === 0, `missing ${prod.join(", ")}`);
  check(
    "/app holds only dist (the runbook page among it), the dashboard, node_modules, package.json",
    seen.app.join(",") === "dist,grafana,node_modules,package.json",
    seen.app.join(", "),
  );
  check(
    "no test or TypeScript source file is in /app/dist",
    seen.testFiles.length === 0,
    seen.testFiles.join(", "),
  );
  check("no npm settings file is in the image", seen.npmrcs.length === 0, seen.npmrcs.join(", "));
}

async function checkRunning() {
  const name = `image-test-demo-${tag}`;
  await podmanOk(runArgs(name, ["-d"], ["--demo", `--web.listen-address=:${PORT}`]), {
    timeoutMs: 60_000,
  });
  try {
    await waitForLogs(
      name,
      [
        /exporter listening/,
        /polls of the jobs list succeed/,
        /polls of the accounts endpoint succeed/,
      ],
      START_TIMEOUT_MS,
    );
    check("the exporter starts in demo mode and polls", true);
  } catch (error) {
    check("the exporter starts in demo mode and polls", false, error.message);
    return;
  }
  const metrics = await fetchInside(name, "/metrics");
  const accounts = new Set(
    [
      ...metrics.body.matchAll(/^useapi_minimax_agent_jobs_executing\{account="([^"]+)"\} \d+$/gm),
    ].map((m) => m[1]),
  );
  check(
    "/metrics serves per-account gauges",
    metrics.status === 200 && accounts.size > 0,
    `status ${metrics.status}, ${accounts.size} accounts`,
  );
  const runbook = await fetchInside(name, "/runbook");
  check(
    "/runbook serves the packaged runbook",
    runbook.status === 200 && runbook.body.includes('id="useapiminimaxexporterdown"'),
    `status ${runbook.status}`,
  );
  const health = await podman(["healthcheck", "run", name], { timeoutMs: 30_000 });
  check(
    "the image's HEALTHCHECK command passes",
    health.code === 0,
    `${health.code}: ${health.stdout}${health.stderr}`.trim(),
  );
  const stop = await podman(["stop", "-t", String(STOP_GRACE_S), name], { timeoutMs: 60_000 });
  const exit = (await podmanOk(["inspect", "--format", "{{.State.ExitCode}}", name])).trim();
  check(
    `SIGTERM stops it with exit 0 within ${STOP_GRACE_S} s`,
    stop.code === 0 && exit === "0",
    `exit ${exit} (137: killed after ${STOP_GRACE_S} s)`,
  );
}

async function cleanUp() {
  for (const name of containers)
    await podman(["rm", "-f", name], { timeoutMs: 60_000 }).catch(() => undefined);
  for (const name of [image, base])
    await podman(["rmi", "-f", name], { timeoutMs: 60_000 }).catch(() => undefined);
}

async function main() {
  if (major === undefined) throw new Error("no ARG NODE_VERSION=<major> in the Dockerfile");
  const source = git(["remote", "get-url", "origin"], "unknown");
  const revision = git(["rev-parse", "HEAD"], "unknown");
  try {
    await podmanOk(["--version"], { timeoutMs: 30_000 });
    await buildImage(source, revision);
    check("the Dockerfile builds", true);
    await checkImage(source, revision);
    await checkRunning();
  } catch (error) {
    check("the image test ran to its end", false, error.message);
  } finally {
    await cleanUp();
  }
  console.log(`image test took ${(performance.now() / 1000).toFixed(0)} s`);
  console.log(`image test: ${results.passed} passed, ${results.failed} failed`);
  if (process.env.IMAGE_TEST_REPORT)
    writeFileSync(process.env.IMAGE_TEST_REPORT, JSON.stringify(results));
  process.exitCode = results.failed === 0 && results.passed > 0 ? 0 : 1;
}

await main();
