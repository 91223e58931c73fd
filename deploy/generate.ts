import { readFileSync, writeFileSync } from "node:fs";
import { stdout } from "node:process";
import { URL, fileURLToPath } from "node:url";
import { serializePrometheusRule } from "./prometheus-rule.js";

// Runs compiled, from deploy/dist/ (npm run kubernetes).
const source = new URL("../../prometheus/alerts.yml", import.meta.url);
const target = fileURLToPath(new URL("../kubernetes/prometheus-rule.yaml", import.meta.url));

writeFileSync(target, await serializePrometheusRule(readFileSync(source, "utf8")));
stdout.write(`wrote ${target}\n`);
