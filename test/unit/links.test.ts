import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { anchor, anchors, ROOT_URL } from "../markdown.js";

/*
 * The rule for every link in a shipped file (docs, README, changelog, rules, alerts, mixin,
 * dashboard, Kubernetes base, compose, Dockerfile, src/): a link is one of
 * 1. a route of the exporter (/, /metrics, /runbook with an alert's anchor, /-/healthy, /-/ready,
 *    /grafana/dashboard.json) on the instance, however it is spelled ({{ $labels.instance }},
 *    ${__value.raw}, <instance>, a host:9877);
 * 2. any other address on the user's own machine or network: loopback, or a host name without a
 *    dot (compose services, placeholders such as your-receiver): nothing published to break;
 * 3. a host reserved for examples (example.com, .org, .net; RFC 2606);
 * 4. one of the external pages below, each with its reason. Anything else fails: in particular a
 *    GitHub repository of this project, which does not exist.
 * References in prose or comments of the form docs/alerts.md, "Monitoring mixin" name a file of
 * the repository and one of its headings. Relative Markdown links: test/integration/readme.test.ts.
 */
const EXTERNAL: Record<string, string> = {
  "useapi.net": "the upstream's site and documentation",
  "api.useapi.net": "the upstream API the exporter polls",
  "keepachangelog.com": "the changelog's format",
  "semver.org": "the versioning scheme",
  "monitoring.mixins.dev": "what a monitoring mixin is",
  "github.com/prometheus/exporter-toolkit": "the --web.config.file format, Prometheus' own",
};
const ROUTES = ["/", "/metrics", "/runbook", "/-/healthy", "/-/ready", "/grafana/dashboard.json"];
const EXPORTER_PORT = "9877";
const INSTANCE = "INSTANCE";

const SHIPPED_ROOTS = [
  "README.md",
  "CHANGELOG.md",
  "Dockerfile",
  "docker-compose.yml",
  "docs",
  "prometheus",
  "alertmanager",
  "grafana",
  "mixin",
  "deploy",
  "src",
  "scripts",
];
const SKIPPED = new Set(["dist", "node_modules"]);

function files(path: string): string[] {
  if (!statSync(new URL(path, ROOT_URL)).isDirectory()) return [path];
  return readdirSync(new URL(`${path}/`, ROOT_URL))
    .filter((name) => !SKIPPED.has(name))
    .flatMap((name) => files(`${path}/${name}`));
}
const SHIPPED = SHIPPED_ROOTS.flatMap(files).map((path) => ({
  path,
  text: readFileSync(new URL(path, ROOT_URL), "utf8"),
}));

const RUNBOOK_ANCHORS = new Set(
  anchors(readFileSync(new URL("docs/runbook.md", ROOT_URL), "utf8")),
);

/** Every absolute link of a text, the spellings of the instance made one. */
function linksOf(text: string): string[] {
  const plain = text
    .replace(/\{\{ ?\$labels\.instance ?\}\}/g, INSTANCE)
    .replace(/\$\{__value\.raw\}/g, INSTANCE)
    .replace(/<instance>/g, INSTANCE);
  return [...plain.matchAll(/:\/\/([^\s"'`()[\]<>,;|\\$]+)/g)].map((m) =>
    (m[1] ?? "").replace(/[.:]+$/, ""),
  );
}

/** Why `link` (after `://`) breaks the rule, or undefined. */
function problem(link: string): string | undefined {
  const [address = "", fragment] = link.split("#");
  const slash = address.indexOf("/");
  const hostPort = slash < 0 ? address : address.slice(0, slash);
  const path = slash < 0 ? "/" : address.slice(slash);
  const [host = "", port] = hostPort.split(":");
  if (host === INSTANCE || port === EXPORTER_PORT) {
    if (!ROUTES.includes(path)) return `not a route of the exporter: ${path}`;
    if (path === "/runbook" && fragment && !RUNBOOK_ANCHORS.has(fragment))
      return `no section #${fragment} in docs/runbook.md`;
    return undefined;
  }
  if (["127.0.0.1", "localhost", "[::1]"].includes(host) || !host.includes(".")) return undefined;
  if (/(^|\.)example\.(com|org|net)$/.test(host)) return undefined;
  const known = Object.keys(EXTERNAL).some(
    (page) => hostPort === page || address === page || address.startsWith(`${page}/`),
  );
  return known
    ? undefined
    : "neither the exporter, a local address, an example host nor a documented page";
}

describe("the links of the shipped files", () => {
  it("reads the shipped files, and finds the links that matter among them", () => {
    expect(SHIPPED.length).toBeGreaterThan(50);
    const all = SHIPPED.flatMap(({ text }) => linksOf(text));
    expect(all).toContain(`${INSTANCE}/runbook#useapiminimaxpollsfailing`);
    expect(all).toContain("api.useapi.net");
  });

  it("tells a broken link from a good one", () => {
    expect(problem("github.com/useapi-minimax-exporter/useapi-minimax-exporter")).toBeDefined();
    expect(problem("github.com/prometheus/prometheus")).toBeDefined();
    expect(problem(`${INSTANCE}/runbook#no-such-alert`)).toBeDefined();
    expect(problem("exporter:9877/status")).toBeDefined();
    expect(problem(`${INSTANCE}/runbook#useapiminimaxdatastale`)).toBeUndefined();
    expect(problem("github.com/prometheus/exporter-toolkit/blob/master/docs/x.md")).toBeUndefined();
  });

  it("are routes of the exporter, local addresses, example hosts or documented pages", () => {
    const broken = SHIPPED.flatMap(({ path, text }) =>
      linksOf(text).flatMap((link) => {
        const why = problem(link);
        return why === undefined ? [] : [`${path}: ${link}: ${why}`];
      }),
    );
    expect(broken).toEqual([]);
  });

  it('name an existing file and heading where they say file, "Section"', () => {
    const references = SHIPPED.flatMap(({ path, text }) =>
      [...text.matchAll(/\b(README|[\w./-]+\.md), "([^"]+)"/g)].map((m) => ({
        path,
        file: m[1] === "README" ? "README.md" : (m[1] ?? ""),
        section: m[2] ?? "",
      })),
    );
    expect(references.length).toBeGreaterThan(3);
    const wrong = references.filter(({ file, section }) => {
      if (!existsSync(new URL(file, ROOT_URL))) return true;
      return !anchors(readFileSync(new URL(file, ROOT_URL), "utf8")).includes(anchor(section));
    });
    expect(wrong).toEqual([]);
  });
});
