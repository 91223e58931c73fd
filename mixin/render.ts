import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { format, resolveConfig } from "prettier";
import { stringify } from "yaml";

/** What mixin/render.jsonnet returns. */
export interface MixinOutputs {
  /** The _config in effect: the defaults with `config` merged in. */
  config: Record<string, unknown>;
  alerts: Record<string, unknown>;
  rules: Record<string, unknown>;
  dashboard: Record<string, unknown>;
  prometheusRule: Record<string, unknown>;
}

/** The files the mixin renders, by path from the repository root. */
export type RenderedFiles = Record<
  | "prometheus/alerts.yml"
  | "prometheus/rules.yml"
  | "grafana/dashboard.json"
  | "deploy/kubernetes/prometheus-rule.yaml",
  string
>;

const header = (lines: string[]): string => lines.map((line) => `# ${line}\n`).join("");
const GENERATED = "Generated from mixin/ by `npm run mixin`: edit the mixin, then run it.";

/** A file's text laid out as the repository's prettier lays it out, so that it passes --check. */
async function prettier(root: URL, path: string, text: string): Promise<string> {
  const options = await resolveConfig(fileURLToPath(new URL(path, root)));
  return format(text, { ...options, filepath: path });
}

const yaml = (value: object): string => stringify(value, { lineWidth: 0 });

/** The outputs of mixin/render.jsonnet in the repository at `root`, `config` merged into _config. */
export function evaluateMixin(root: URL, config: Record<string, unknown> = {}): MixinOutputs {
  const stdout = execFileSync(
    "jsonnet",
    [
      "--tla-code",
      `config=${JSON.stringify(config)}`,
      fileURLToPath(new URL("mixin/render.jsonnet", root)),
    ],
    { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as MixinOutputs;
}

/**
 * Renders the mixin of the repository at `root` with `config` merged into its _config (the
 * default render with none): jsonnet evaluates it, and the outputs become the files `npm run
 * mixin` commits.
 */
export async function renderMixin(
  root: URL,
  config: Record<string, unknown> = {},
): Promise<RenderedFiles> {
  const out = evaluateMixin(root, config);
  const texts: RenderedFiles = {
    "prometheus/alerts.yml":
      header([
        GENERATED,
        "Alerts (prometheusAlerts). They read the records of rules.yml: load both.",
      ]) + yaml(out.alerts),
    "prometheus/rules.yml":
      header([GENERATED, "Recording rules (prometheusRules)."]) + yaml(out.rules),
    "grafana/dashboard.json": JSON.stringify(out.dashboard, null, 2),
    "deploy/kubernetes/prometheus-rule.yaml":
      header([
        GENERATED,
        "The recording rules and alerts as a PrometheusRule. A Prometheus picks it up when its",
        "ruleSelector (and ruleNamespaceSelector) match it.",
      ]) + yaml(out.prometheusRule),
  };
  const entries = await Promise.all(
    Object.entries(texts).map(async ([path, text]) => [path, await prettier(root, path, text)]),
  );
  return Object.fromEntries(entries) as RenderedFiles;
}
