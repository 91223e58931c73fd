import { spawn, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { recordingRules } from "../alert-rules.js";
import { haveBinary } from "../binaries.js";
import { get, startStack, type Stack } from "../harness.js";
import { dashboardQueries, type DashboardQuery } from "../dashboard-model.js";
import { renderMixin, type RenderedFiles } from "../mixin.js";

const HAVE_SERVERS =
  haveBinary("prometheus", "prometheus") &&
  haveBinary("prometheus-alertmanager", "prometheus-alertmanager");
/** A job name other than the mixin's default, so that the rendered selector must reach every rule. */
const JOB = "minimax-e2e";
/** A second scrape of the same exporter that the selector leaves out. */
const OTHER_JOB = "minimax-other";

interface Server {
  name: string;
  child: ChildProcess;
  output: string[];
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, "127.0.0.1", () => {
      const address = probe.address();
      const port = typeof address === "object" && address ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

function startServer(name: string, binary: string, args: string[]): Server {
  const child = spawn(binary, args, { stdio: ["ignore", "pipe", "pipe"] });
  const output: string[] = [];
  child.stdout.setEncoding("utf8").on("data", (d: string) => output.push(d));
  child.stderr.setEncoding("utf8").on("data", (d: string) => output.push(d));
  return { name, child, output };
}

async function stopServer(server: Server | undefined): Promise<void> {
  if (!server || server.child.exitCode !== null) return;
  const exited = new Promise((resolve) => server.child.once("exit", resolve));
  server.child.kill("SIGTERM");
  const timer = setTimeout(() => server.child.kill("SIGKILL"), 5_000);
  await exited;
  clearTimeout(timer);
}

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  ms = 60_000,
): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

interface QueryResult {
  status: string;
  data: {
    resultType: string;
    result: { metric: Record<string, string>; value: [number, string] }[];
  };
}

/** Every `expr` of a rendered dashboard, with its panel title. */
function renderedDashboardQueries(mixin: RenderedFiles): DashboardQuery[] {
  return dashboardQueries(JSON.parse(mixin["grafana/dashboard.json"]) as object);
}

describe.runIf(HAVE_SERVERS)("end to end on real Prometheus and Alertmanager", () => {
  const dir = mkdtempSync(join(tmpdir(), "e2e-"));
  let stack: Stack;
  /** The mixin rendered with the e2e selector. */
  let mixin: RenderedFiles;
  let prometheus: Server | undefined;
  let alertmanager: Server | undefined;
  let promUrl = "";
  let amUrl = "";
  let instance = "";
  let skewMs = 0;

  beforeAll(async () => {
    mixin = await renderMixin({ selector: `job="${JOB}"` });
    stack = await startStack({
      flags: [
        "--poll.interval=1s",
        "--poll.timeout=500ms",
        "--poll.max-backoff=1s",
        "--poll.stale-after=1m",
        "--accounts.interval=2s",
        "--scheduler.interval=1s",
        "--credits.interval=2s",
        "--subscription.interval=2s",
        "--usage.interval=2s",
        "--jobs.resolve-status=true",
        "--jobs.lookup-rate=50",
      ],
      simulator: { now: () => Date.now() + skewMs },
    });
    instance = new URL(stack.exporter.url).host;
    const [promPort, amPort] = [await freePort(), await freePort()];
    promUrl = `http://127.0.0.1:${promPort}`;
    amUrl = `http://127.0.0.1:${amPort}`;

    // The mixin's rules rendered with the e2e selector, every `for` shortened so that alerts fire
    // within seconds.
    writeFileSync(join(dir, "rules.yml"), mixin["prometheus/rules.yml"]);
    writeFileSync(
      join(dir, "alerts.yml"),
      mixin["prometheus/alerts.yml"].replace(/^(\s+for:) \S+$/gm, "$1 1s"),
    );
    const scrape = (job: string) =>
      `{ job_name: ${job}, static_configs: [{ targets: ["${instance}"] }] }`;
    writeFileSync(
      join(dir, "prometheus.yml"),
      [
        "global: { scrape_interval: 1s, evaluation_interval: 1s }",
        "rule_files: [rules.yml, alerts.yml]",
        `alerting: { alertmanagers: [{ static_configs: [{ targets: ["127.0.0.1:${amPort}"] }] }] }`,
        `scrape_configs: [${scrape(JOB)}, ${scrape(OTHER_JOB)}]`,
      ].join("\n"),
    );
    writeFileSync(
      join(dir, "alertmanager.yml"),
      "route: { receiver: none, group_wait: 1s, group_interval: 1s }\nreceivers: [{ name: none }]\n",
    );

    alertmanager = startServer("alertmanager", "prometheus-alertmanager", [
      `--config.file=${join(dir, "alertmanager.yml")}`,
      `--storage.path=${join(dir, "am-data")}`,
      `--web.listen-address=127.0.0.1:${amPort}`,
      "--cluster.listen-address=",
    ]);
    prometheus = startServer("prometheus", "prometheus", [
      `--config.file=${join(dir, "prometheus.yml")}`,
      `--storage.tsdb.path=${join(dir, "prom-data")}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      "--rules.alert.resend-delay=1s",
    ]);
    await eventually("Alertmanager ready", async () =>
      (await get(`${amUrl}/-/ready`)).status === 200 ? true : undefined,
    );
    await eventually("Prometheus to scrape the exporter", async () => {
      const result = await query(`up{job="${JOB}"} == 1`);
      return result.data.result.length > 0 ? true : undefined;
    });
    // Simulated minutes pass between real seconds, so that jobs start, finish and are resolved.
    for (let minute = 0; minute < 8; minute++) {
      skewMs += 60_000;
      await new Promise((r) => setTimeout(r, 1_100));
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all([stopServer(prometheus), stopServer(alertmanager)]);
    await stack.close();
    rmSync(dir, { recursive: true, force: true });
  });

  async function query(expr: string): Promise<QueryResult> {
    const answer = await get(`${promUrl}/api/v1/query?query=${encodeURIComponent(expr)}`);
    if (answer.status !== 200)
      throw new Error(`query ${expr} answered ${answer.status}: ${answer.body}`);
    return JSON.parse(answer.body) as QueryResult;
  }

  async function alertsInAlertmanager(): Promise<{ labels: Record<string, string> }[]> {
    return JSON.parse((await get(`${amUrl}/api/v2/alerts`)).body) as {
      labels: Record<string, string>;
    }[];
  }

  async function untilAlert(name: string, labels: Record<string, string> = {}) {
    return eventually(`${name} in Alertmanager`, async () => {
      const alerts = await alertsInAlertmanager();
      const match = alerts.find(
        (a) =>
          a.labels["alertname"] === name &&
          Object.entries(labels).every(([k, v]) => a.labels[k] === v),
      );
      return match;
    });
  }

  it("returns data through Prometheus for every query of the dashboard", async () => {
    const queries = renderedDashboardQueries(mixin);
    expect(queries.length).toBeGreaterThanOrEqual(10);
    for (const { panel, expr } of queries) {
      const substituted = expr
        .replaceAll("$job", JOB)
        .replaceAll("$instance", instance.replaceAll(".", "\\\\."))
        .replaceAll("$account", ".*")
        .replaceAll("$__rate_interval", "30s")
        .replaceAll("$__interval", "5s");
      const result = await eventually(`data for "${panel}": ${substituted}`, async () => {
        const answer = await query(substituted);
        return answer.status === "success" && answer.data.result.length > 0 ? answer : undefined;
      });
      console.log(
        `dashboard query ok (${result.data.result.length} series) [${panel}] ${substituted}`,
      );
    }
  }, 90_000);

  it("finds values through Prometheus for every template variable of the dashboard", async () => {
    const dashboard = JSON.parse(mixin["grafana/dashboard.json"]) as {
      templating: { list: { name: string; type: string; query?: unknown }[] };
    };
    const variables = dashboard.templating.list.filter((v) => v.type === "query");
    expect(variables.map((v) => v.name)).toEqual(["job", "instance", "account"]);
    const exposition = (await get(`${stack.exporter.url}/metrics`)).body;
    const accounts = exposition.matchAll(
      /^useapi_minimax_agent_jobs_executing\{[^}]*account="([^"]+)"/gm,
    );
    const expected: Record<string, string[]> = {
      job: [JOB],
      instance: [instance],
      account: [...new Set([...accounts].map((m) => m[1] ?? ""))].sort(),
    };
    for (const variable of variables) {
      const match = /^label_values\((.+), (\w+)\)$/.exec(String(variable.query));
      expect(match, `${variable.name} uses label_values(selector, label)`).not.toBeNull();
      const [, selector = "", label = ""] = match ?? [];
      const substituted = selector
        .replaceAll("$job", JOB)
        .replaceAll("$instance", instance.replaceAll(".", "\\\\."));
      const answer = await get(
        `${promUrl}/api/v1/label/${label}/values?match[]=${encodeURIComponent(substituted)}`,
      );
      expect(answer.status, answer.body).toBe(200);
      const values = (JSON.parse(answer.body) as { data: string[] }).data;
      console.log(`dashboard variable ok: ${variable.name} = ${values.join(", ")}`);
      expect(values, variable.name).toEqual(expected[variable.name]);
    }
  });

  it("records every recording rule for the selected job only", async () => {
    const records = recordingRules(mixin["prometheus/rules.yml"]).map((r) => r.record);
    expect(records.length).toBeGreaterThanOrEqual(9);
    // Before "none for the other job" means anything, its series must have been scraped and a rule
    // evaluation must have run on them.
    await eventually(`series of ${OTHER_JOB}`, async () => {
      const answer = await query(`count_over_time(useapi_minimax_up{job="${OTHER_JOB}"}[1m]) >= 3`);
      return answer.data.result.length > 0 ? true : undefined;
    });
    const since = Date.now();
    await eventually("a rule evaluation after that", async () => {
      const answer = JSON.parse((await get(`${promUrl}/api/v1/rules?type=record`)).body) as {
        data: { groups: { lastEvaluation: string }[] };
      };
      const groups = answer.data.groups;
      return groups.length > 0 && groups.every((g) => Date.parse(g.lastEvaluation) > since)
        ? true
        : undefined;
    });
    for (const record of records) {
      const result = await eventually(`series of ${record}`, async () => {
        const answer = await query(record);
        return answer.data.result.length > 0 ? answer : undefined;
      });
      const jobs = new Set(result.data.result.map((r) => r.metric["job"]));
      console.log(
        `recorded ${record}: ${result.data.result.length} series, jobs ${[...jobs].join(", ")}`,
      );
      expect([...jobs]).toEqual([JOB]);
    }
  }, 90_000);

  it("fires the stuck-job alerts for a job that runs past the expiry and delivers them to Alertmanager", async () => {
    const account = stack.simulator.activity.accounts[0] ?? "";
    stack.simulator.activity.startJob(account, Date.now() + skewMs, Number.POSITIVE_INFINITY);
    skewMs += 16 * 60_000; // the simulator's clock jumps 16 minutes: the injected job is past 15:00
    const near = await untilAlert("UseapiMinimaxJobNearExpiry", { account });
    const past = await untilAlert("UseapiMinimaxJobPastExpiry", { account });
    console.log(
      `Alertmanager received: ${near.labels["alertname"]}, ${past.labels["alertname"]} for account ${account}`,
    );
    expect(past.labels["severity"]).toBe("critical");
    expect(past.labels["job"]).toBe(JOB);
  }, 60_000);

  it("fires the saturation alert for an account running as many jobs as it may and delivers it", async () => {
    const activity = stack.simulator.activity;
    const account = activity.idleAccounts[0] ?? "";
    for (let i = 0; i < activity.maxJobs(account); i++) {
      activity.startJob(account, Date.now() + skewMs, 3_600_000);
    }
    const alert = await untilAlert("UseapiMinimaxAccountSaturated", { account });
    console.log(`Alertmanager received: ${alert.labels["alertname"]} for account ${account}`);
    expect(alert.labels["severity"]).toBe("warning");
  }, 60_000);

  it("fires the video slot alert for an account whose video slots are all busy and delivers it", async () => {
    const { activity, generations } = stack.simulator;
    const account = activity.idleAccounts[0] ?? "";
    for (let i = 0; i < activity.maxJobs(account); i++) {
      generations.start(account, "video", Date.now() + skewMs, 3_600_000);
    }
    const alert = await untilAlert("UseapiMinimaxVideoSlotsExhausted", { account });
    console.log(`Alertmanager received: ${alert.labels["alertname"]} for account ${account}`);
    expect(alert.labels["severity"]).toBe("warning");
  }, 60_000);

  it("fires the long-generation alert for a generation running past 30 minutes and delivers it", async () => {
    const account = stack.simulator.activity.accounts[0] ?? "";
    stack.simulator.generations.start(account, "image", Date.now() + skewMs, Infinity);
    skewMs += 31 * 60_000; // the simulator's clock jumps 31 minutes: the injected image is past 30:00
    const alert = await untilAlert("UseapiMinimaxGenerationRunningLong", {
      account,
      type: "image",
    });
    console.log(
      `Alertmanager received: ${alert.labels["alertname"]} for account ${account}, type ${alert.labels["type"]}`,
    );
    expect(alert.labels["severity"]).toBe("warning");
  }, 60_000);

  it("fires the credits alerts for an account low on credits whose next batch expires within a day", async () => {
    const account = stack.simulator.activity.accounts[0] ?? "";
    const endTime = Date.now() + 12 * 3_600_000;
    stack.simulator.credits.fix(account, {
      totalCredits: 60,
      videoCost: 30,
      queueLength: 3,
      imageQueueLength: 5,
      memberName: "Free",
      creditExpireText: [{ credit: 60, endTime }],
    });
    const low = await untilAlert("UseapiMinimaxCreditsLow", { account });
    const expiring = await untilAlert("UseapiMinimaxCreditsExpiringSoon", { account });
    console.log(
      `Alertmanager received: ${low.labels["alertname"]}, ${expiring.labels["alertname"]} for account ${account}`,
    );
    expect(low.labels["severity"]).toBe("warning");
    expect(expiring.labels["severity"]).toBe("warning");
  }, 60_000);

  it("fires the out-of-credits, on-hold and failing-submissions alerts from the recorded requests", async () => {
    // An account no simulated user sends requests on: its rows are these alone, so the failure
    // ratio is exactly theirs, whatever the model recorded for the simulated accounts meanwhile.
    const account = "e2e-rows-only";
    const row = (i: number, code: number) => ({
      timestamp: new Date().toISOString(),
      jobid: `e2e-${i}-user:1-bot:minimax`,
      config: account,
      endpoint: "post-videos-create",
      status: String(code),
      code,
      msec: 1_500,
    });
    const answer = (rows: ReturnType<typeof row>[]) => ({ bot: "minimax", data: rows });
    const first = [row(1, 412), row(2, 596), row(3, 500), row(4, 201)];
    stack.simulator.setPayload(answer(first), "usage");
    // A counter's first sample shows no increase: the alerts need rows after it was scraped.
    await eventually("the recorded 412 in Prometheus", async () => {
      const result = await query(
        `useapi_minimax_api_requests_total{job="${JOB}",account="${account}",code="412"}`,
      );
      return result.data.result.length > 0 ? true : undefined;
    });
    const later = Array.from({ length: 12 }, (_, i) => row(10 + i, [412, 596, 500][i % 3] ?? 500));
    stack.simulator.setPayload(answer([...later, ...first]), "usage");
    const out = await untilAlert("UseapiMinimaxOutOfCredits", { account });
    const hold = await untilAlert("UseapiMinimaxAccountOnHold", { account });
    const failing = await untilAlert("UseapiMinimaxSubmissionsFailing", { account });
    console.log(
      `Alertmanager received: ${out.labels["alertname"]}, ${hold.labels["alertname"]}, ${failing.labels["alertname"]} for account ${account}`,
    );
    expect(out.labels["severity"]).toBe("critical");
    expect(hold.labels["severity"]).toBe("warning");
    expect(failing.labels["severity"]).toBe("warning");
  }, 60_000);

  it("fires the subscription alerts when the subscription lapses with MiniMax accounts in error", async () => {
    stack.simulator.subscription.setBody({
      subscriptionIsActive: false,
      subscriptions: 1,
      maxAccountsPerAPI: 3,
      accounts: { "MiniMax API": { total: 3, active: 1, error: 2 } },
      sub: "251101",
    });
    const inactive = await untilAlert("UseapiMinimaxSubscriptionInactive");
    const inError = await untilAlert("UseapiMinimaxAccountsInError", { api: "MiniMax API" });
    console.log(
      `Alertmanager received: ${inactive.labels["alertname"]}, ${inError.labels["alertname"]}`,
    );
    expect(inactive.labels["severity"]).toBe("critical");
    expect(inError.labels["state"]).toBe("error");
  }, 60_000);

  it("fires the scheduler alert when only the scheduler fails, with the jobs polls still up", async () => {
    stack.simulator.setMode("server_error", {}, "scheduler");
    const alert = await untilAlert("UseapiMinimaxSchedulerFailing");
    console.log(
      `Alertmanager received: ${alert.labels["alertname"]} (source ${alert.labels["source"]})`,
    );
    expect(alert.labels["source"]).toBe("scheduler");
    const up = await query(`useapi_minimax_up{job="${JOB}"}`);
    expect(up.data.result.map((r) => r.value[1])).toEqual(["1"]);
  }, 60_000);

  it("fires the token alert when the upstream answers 401 and delivers it to Alertmanager", async () => {
    stack.simulator.setMode("unauthorized");
    const alert = await untilAlert("UseapiMinimaxTokenRejected");
    console.log(
      `Alertmanager received: ${alert.labels["alertname"]} (instance ${alert.labels["instance"]})`,
    );
    expect(alert.labels["severity"]).toBe("critical");
    const names = new Set((await alertsInAlertmanager()).map((a) => a.labels["alertname"]));
    console.log(`alert names seen in Alertmanager: ${[...names].sort().join(", ")}`);
    expect(names).toContain("UseapiMinimaxTokenRejected");
    const jobs = new Set((await alertsInAlertmanager()).map((a) => a.labels["job"]));
    expect([...jobs]).toEqual([JOB]);
  }, 60_000);
});
