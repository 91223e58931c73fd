// bench/RESULTS.md from the figures of one run (bench/run.js): the goals table and every section.

/** The text of RESULTS.md above the hand-kept findings. */
export function render(r) {
  const lines = [];
  const text = (...paragraph) => lines.push(...paragraph, "");
  const table = (head, rows) => {
    lines.push(`| ${head.join(" | ")} |`, `| ${head.map(() => "---").join(" | ")} |`);
    for (const row of rows) lines.push(`| ${row.join(" | ")} |`);
    lines.push("");
  };
  lines.push("# Benchmark results", "");
  text(
    "Written by `npm run bench` (bench/run.js) from one run; every figure below, the goals table",
    "included, comes from that run. Only the findings at the end are written by hand.",
  );
  text(
    `- Date: ${r.date}; whole run ${r.seconds} s`,
    `- Machine: ${r.machine.cpu}, ${r.machine.memoryGb} GB, ${r.machine.os}; a fresh 4 KiB page of a new mapping costs ${r.machine.freshPageMicros} µs to touch`,
    `- Node.js: ${r.machine.node}; load average at the end: ${r.machine.loadAverage}`,
    `- Load average (1 min) after each step: ${(r.loads ?? []).map((l) => `${l.step} ${l.load.toFixed(2)}`).join("; ")}`,
  );
  lines.push("## Goals", "");
  const missed = r.goals.filter((g) => !g.met).length;
  text(`${r.goals.length - missed} of ${r.goals.length} met.`);
  table(
    ["Goal", "Measured", "Met"],
    r.goals.map((g) => [g.goal, g.measured, g.met ? "yes" : "**no**"]),
  );
  users(r.users, text, table);
  bounds(r.bounds, text, table);
  serving(r.serve, text, table);
  flood(r.flood, text, table);
  lines.push("## 5. Must not regress", "");
  memory(r, text, table);
  usageBound(r.usageBound, text, table);
  economy(r.economy, text, table);
  renderings(r.renderings, text, table);
  processing(r, text, table);
  return lines.join("\n");
}

function users(u, text, table) {
  const [from, to] = u.windowMinutes;
  text(
    "## 1. Where users live",
    "",
    `At ${u.rows.map((x) => x.accounts).join(", ")} accounts, all at once for ${u.minutes} minutes of real time: per size, the`,
    "simulator (`node dist/simulator/main.js --accounts=N`, seed 1, one idle account) and the exporter",
    "(`node dist/main.js`, default flags: every source on at its default interval, info logs to",
    `/dev/null) in separate processes with the same Node flags (${u.nodeFlags === "" ? "none" : `\`${u.nodeFlags}\``}: no forced GC) and the image's environment (\`${u.nodeEnv ?? "NODE_ENV=production"}\`),`,
    `and a scraper asking /metrics every ${u.scrapeSec} s as Prometheus 3 does (OpenMetrics first, gzip). Beside`,
    "them, the floor (bench/floor.js: the exporter's runtime dependencies loaded, prom-client's",
    `default metrics on a registry, nothing else) and, per size, Debian's prometheus-blackbox-exporter ${u.blackboxVersion}`,
    "(module bench/blackbox-users.yml: GET with the bearer token) driven through `/probe` on the",
    "exporter's schedule against the same simulator: the jobs list and the scheduler every 15 s;",
    "accounts, subscription and usage every 5 minutes; one account's credits every 5 minutes /",
    "accounts; one job lookup per job gone from the jobs list (the driver reads the list itself, at",
    `most 2 lookups a second). /proc is read every ${u.sampleSec} s: steady RSS is the median over minutes ${from}–${to},`,
    "peak is VmHWM at the end, CPU seconds per hour are utime + stime over the same minutes (and, in",
    "the last column, over the whole process life including its startup). MiB throughout.",
  );
  text("The load per account, read off the simulator's answers during the run:");
  table(
    [
      "Accounts",
      "Running jobs (mean of 15 s reads)",
      "Jobs ended per hour",
      "Running generations (mean)",
      "Credit batches",
      "Usage rows answered",
    ],
    u.rows.map((x) => [
      x.accounts,
      x.load.runningJobs,
      x.load.jobsEndedPerHour,
      x.load.runningGenerations,
      x.load.creditBatches,
      x.load.usageRows,
    ]),
  );
  const calls = (counts) =>
    Object.entries(counts)
      .filter(([, n]) => n > 0)
      .map(([k, n]) => `${k} ${n}`)
      .join(", ");
  table(
    [
      "Process",
      "Accounts",
      "Steady RSS",
      "Peak RSS",
      `CPU s/h (min ${from}–${to})`,
      "CPU s/h (whole life)",
      "Upstream calls (exporter) or probes (blackbox)",
    ],
    [
      [
        "floor",
        "",
        u.floor.steadyMb,
        u.floor.peakMb,
        u.floor.cpuPerHour,
        u.floor.cpuPerHourWholeRun,
        "",
      ],
      ...u.rows.flatMap((x) => [
        [
          "exporter",
          x.accounts,
          x.exporter.steadyMb,
          x.exporter.peakMb,
          x.exporter.cpuPerHour,
          x.exporter.cpuPerHourWholeRun,
          `${calls(x.upstreamRequests)}; ${x.scrapes} scrapes, ${x.failedScrapes} failed`,
        ],
        [
          "blackbox_exporter",
          x.accounts,
          x.blackbox.steadyMb,
          x.blackbox.peakMb,
          x.blackbox.cpuPerHour,
          x.blackbox.cpuPerHourWholeRun,
          calls(x.probes),
        ],
      ]),
    ],
  );
}

function bounds(b, text, table) {
  const { accounts, jobs, generations, usageRows } = b.bounds;
  text(
    "## 2. At the default bounds",
    "",
    `One fresh \`node --import bench/loop-delay.js dist/main.js\` per case, with`,
    `\`--useapi.max-accounts=${accounts} --useapi.max-jobs=${jobs}\` given explicitly, against a loopback fake`,
    `upstream (bench/bounds-upstream.js): ${accounts.toLocaleString("en")} accounts, ${jobs.toLocaleString("en")} running jobs and ${generations.toLocaleString("en")} running generations`,
    "(a tenth of each finishing and replaced on every other answer), the same accounts' accounts",
    `answer and credits, the subscription, and ${usageRows.toLocaleString("en")} usage rows (a tenth new on every other`,
    "answer). First every source on for",
    `${b.seconds} s after /-/healthy first answers, the 5-minute sources every 15 s and a credits round every`,
    `30 s so that each answers at the bounds within the case, scraped (gzip) every ${b.scrapeSec} s; then each hostile`,
    "body of the hardening benchmark (bench/hostile-memory.js) served in place of the jobs list (the",
    "scheduler's for its one body) once the exporter has polled a harmless answer, its source alone on",
    "and polled every 5 s, until that poll ends. Peak RSS is the process's VmHWM (startup included);",
    "the longest event-loop block is `monitorEventLoopDelay`'s max (10 ms resolution) from the first",
    "/-/healthy answer (every source) or from the body being set (hostile), read by a preloaded",
    "script, so no exporter code changes; `/-/healthy` is asked every 100 ms (hostile: 20 ms)",
    "meanwhile. Outcome: each source's successful polls over its polls, or the hostile poll's outcome.",
  );
  for (const run of b.runs) {
    text(`On ${run.node}${run.error ? `: ${run.error}` : ""}:`);
    if (run.rows.length === 0) continue;
    table(
      [
        "Case",
        "Bytes",
        "Outcome",
        "Peak RSS (MiB)",
        "Longest loop block (ms)",
        "Slowest `/-/healthy` (ms)",
        "`/-/healthy` answers",
      ],
      run.rows.map((x) => [
        x.case,
        x.bytes === undefined ? "" : x.bytes.toLocaleString("en"),
        x.bytes === undefined ? x.outcome : `\`${x.outcome}\``,
        x.peakMb,
        x.loopMaxMs,
        x.slowestHealthyMs,
        x.healthyAnswers,
      ]),
    );
  }
}

function usageBound(u, text, table) {
  text(
    "The usage bound: answers of rows never seen before, each with an account, an endpoint and a",
    "code (100 to 599) of its own, counted by the usage source as the exporter wires it; the series",
    "of its two families on the page.",
  );
  table(
    ["Distinct rows", "useapi_minimax_api_requests_total series", "Duration histogram lines"],
    [[u.distinctRows, u.requestSeries, u.durationSeries]],
  );
}

const cell = (x) => (x === null || x === undefined ? "n/a" : x);

function serving(s, text, table) {
  text(
    "## 3. Serving /metrics",
    "",
    `wrk 4.1 (\`-t1\`: one thread, a C client leaving the other core to the server) with ${s.connections}`,
    `connections for ${s.durationSec} s per server, after an unrecorded one-connection warm-up; the exporter and`,
    `the ceiling in turn, ${s.runs ?? 1} runs each, the median of each figure kept; against`,
    "three servers in one child process on 127.0.0.1: the exporter (startExporter, default metrics",
    "on, after one poll of a simulator serving `generatePayload({ seed: 1, accounts, jobsPerAccount: 5 })`);",
    "the ceiling, a bare node:http server answering the same bytes (gzip compressed once); and",
    "express calling `await registry.metrics()` on the exporter's registry on every request (gzip",
    "per request), from a fresh child per run. The exporter is also loaded with a single connection",
    "(one Prometheus) for its latency alone; wrk gives up on a request after 10 s (Timeouts); p50",
    "and p99 are wrk's latency distribution.",
  );
  table(
    [
      "Accounts",
      "gzip",
      "Body bytes",
      "Server",
      "Connections",
      "Requests/s",
      "p50 ms",
      "p99 ms",
      "Errors",
      "Timeouts",
    ],
    s.rows.flatMap((row) =>
      ["exporter", "ceiling", "express", "single"].map((name) => [
        row.accounts,
        row.gzip ? "on" : "off",
        row.bytes,
        name === "single" ? "exporter" : name,
        name === "single" ? 1 : s.connections,
        row[name].rps,
        row[name].p50Ms,
        row[name].p99Ms,
        row[name].errors,
        row[name].timeouts,
      ]),
    ),
  );
  table(
    [
      "Accounts",
      "gzip",
      "Series",
      "Exporter / ceiling (req/s)",
      "Exporter / ceiling (p99)",
      "Exporter / express (req/s)",
    ],
    s.rows.map((row) => [
      row.accounts,
      row.gzip ? "on" : "off",
      row.series,
      cell(row.exporterToCeiling),
      Math.round((row.exporter.p99Ms / row.ceiling.p99Ms) * 100) / 100,
      cell(row.exporterToExpress),
    ]),
  );
}

function processing(r, text, table) {
  const s = r.sources;
  text(
    "### Poll processing against JSON.parse (informational, not goals)",
    "",
    `In-process, for each source, on answers of the documented shape at ${new Set(s.rows.map((x) => x.size)).size} sizes: JSON.parse of`,
    "the answer's text, the source's answer check, its update (snapshot, tracking, lifecycle) and",
    "the refresh of an exposition of its families (default metrics on), against JSON.parse alone",
    `of the same text; median of ${s.iterations} iterations after unmeasured warm-up rounds. The`,
    "same answer is processed again and again (the steady state); where a source keeps state",
    "between answers, a changing answer is timed beside it. Credits is one answer per account: a",
    "round of that many answers against JSON.parse of the same texts. µs per item is the",
    "processing time over the item count.",
    ...(s.notes ?? []),
  );
  table(
    [
      "Source",
      "Items",
      "Bytes",
      "JSON.parse ms",
      "Processing ms",
      "Ratio",
      "Changing answer ratio",
      "µs per item",
    ],
    s.rows.map((x) => [
      x.source,
      `${x.items.toLocaleString("en")} ${x.unit}`,
      x.bytes,
      x.jsonParseMs,
      x.processMs,
      x.ratio,
      cell(x.changingRatio),
      Math.round((x.processMs * 1e5) / x.items) / 100,
    ]),
  );
  const p = r.poll;
  text(
    "The jobs list's whole poll: the exporter's own pollOnce() against a local simulator serving",
    "`generatePayload({ seed: 1, accounts, jobsPerAccount: 5 })` (HTTP fetch of the body over",
    "loopback, checks, job lifecycle tracking with status lookups off, rendering), median of",
    `${p.iterations} polls, beside JSON.parse of the same bytes: the real cost of one poll.`,
  );
  table(
    ["Accounts", "Jobs", "Bytes", "JSON.parse ms", "Whole poll ms", "Whole poll / JSON.parse"],
    p.rows.map((x) => [x.accounts, x.jobs, x.bytes, x.jsonParseMs, x.wholePollMs, x.wholeRatio]),
  );
}

function memory(r, text, table) {
  const [m] = r.memory;
  text(
    "### Memory over churning polls",
    "",
    `A fresh \`node --expose-gc\` process runs the exporter alone (the simulator runs in the parent) at`,
    `${m.accounts} accounts with ${m.jobsPerAccount} jobs each. Every poll shows a sliding window of`,
    "the accounts of a pool 5 % larger and 5 of each account's 6 jobs, another one each time, so",
    "accounts and jobs start and finish on every poll (every account has a duration histogram);",
    "every tenth poll is scraped. Polls run back to back. RSS is read after two `gc()`, after",
    `${m.warmupPolls} warm-up polls and again after ${m.polls} more, each time twice: right after`,
    `the last poll ("busy") and after ${m.idleMs / 1000} s without polls ("idle"), as between production's 15 s`,
    "polls. The second row runs the same with glibc's mmap threshold pinned",
    "(`MALLOC_MMAP_THRESHOLD_`), which returns every freed large block at once: equal rows mean the",
    "C library's setting does not matter.",
  );
  table(
    [
      "Environment",
      "Polls",
      "Warm RSS MB (busy / idle)",
      "Final RSS MB (busy / idle)",
      "Heap MB (warm / final)",
      "Growth % (busy / idle)",
      "Seconds",
    ],
    r.memory.map((x) => [
      x.env === "" ? "default" : `\`${x.env}\``,
      x.polls,
      `${x.warmBusyRssMb} / ${x.warmRssMb}`,
      `${x.finalBusyRssMb} / ${x.finalRssMb}`,
      `${x.warmHeapMb} / ${x.finalHeapMb}`,
      `${x.busyGrowthPercent} / ${x.growthPercent}`,
      x.seconds,
    ]),
  );
}

function economy(e, text, table) {
  text(
    "### Upstream economy",
    "",
    `${e.scrapers} scrapers each scraping every ${e.scrapeMs} ms, every source polled every ${e.intervalMs} ms`,
    `(credits: each account once per ${e.intervalMs} ms), for ${e.windowMs} ms: production's 1 s`,
    "scrapes against 15 s polls scaled by 1/10. Requests counted by the simulator from the end of",
    `the first polls on; ${e.intervals} intervals. ${e.scrapes} scrapes, ${e.failedScrapes} failed.`,
  );
  table(
    ["Source", "Upstream requests", "Expected", "Requests per interval (per account)"],
    e.sources.map((x) => [
      x.source,
      x.requests,
      x.exact ? x.expected : `at most ${x.expected}`,
      x.perInterval,
    ]),
  );
}

function renderings(x, text, table) {
  text(
    "### Renderings per poll",
    "",
    "Every source on against the simulator, the calls of the registry's `metrics()` counted (one",
    "per rendering). First one poll of each source alone (credits: one round); then rounds in which",
    "every source polls at once, their answers arriving together as when their intervals meet; then",
    `${x.burst.refreshes} refreshes asked in one turn of the event loop.`,
  );
  table(
    ["Polled", "Polls", "Renderings"],
    [
      ...x.alone.map((a) => [`${a.source} alone (${a.outcome})`, 1, a.renderings]),
      [`every source at once, ${x.together.length} times`, x.polls, x.renderings],
      [`${x.burst.refreshes} refreshes in one turn`, x.burst.refreshes, x.burst.renderings],
    ],
  );
}

function flood(f, text, table) {
  const s = f.settings;
  text(
    "## 4. Credential flood, beside blackbox_exporter",
    "",
    `Basic auth on, the same web config YAML for both servers (one user, a bcrypt cost ${s.bcryptCost}`,
    `hash). A flood process sends ${s.wrongPasswords} requests paced over ${s.seconds} s (${s.floodPerSecond}/s) to`,
    `\`${s.floodPath}\`, each with the right user and a new wrong password (so no cache answers it), on`,
    "an idle keep-alive connection or a new one when all are busy, each answered or given up after",
    `${s.floodTimeoutMs / 1000} s. Meanwhile one good scraper, its login cached by a scrape before the flood, scrapes`,
    `/metrics every ${s.scrapeEveryMs} ms (or right after a slower one) with a ${s.scrapeTimeoutMs / 1000} s timeout; success is a 200`,
    "in time, p50, p95 and worst are of all its scrapes. First this exporter (polling a simulator in",
    `its process every ${s.exporterPollInterval}), then Debian's prometheus-blackbox-exporter ${s.blackbox.version} (exporter-toolkit's`,
    "`--web.config.file`, the Go reference), each alone on 127.0.0.1. The server's CPU seconds and",
    "run-queue seconds (time ready to run, waiting for a core) are read from /proc over the window.",
  );
  table(
    [
      "Server",
      "Good scrapes",
      "Success",
      "p50 ms",
      "p95 ms",
      "Worst ms",
      "Polls",
      "Flood sent",
      "401 / 503 / other",
      "Connection errors",
      "Flood connections",
      "Flood answered after (s)",
      "Server CPU s / run-queue s",
    ],
    f.rows.map((x) => [
      x.server,
      x.goodScrapes,
      `${x.successPercent} %`,
      x.p50Ms,
      x.p95Ms,
      x.worstMs,
      cell(x.polls),
      x.floodSent,
      `${x.answered[401]} / ${x.answered[503]} / ${x.answered.other}`,
      x.connectionErrors,
      x.floodConnections,
      cell(x.floodAnsweredSec),
      `${x.window.serverCpuSec} / ${x.window.serverRunQueueSec}`,
    ]),
  );
}
