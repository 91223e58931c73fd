import { execFile, execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { Deployment, type IDeployment } from "kubernetes-models/apps/v1";
import { Service, type IService } from "kubernetes-models/v1";
import { NetworkPolicy, type INetworkPolicy } from "kubernetes-models/networking.k8s.io/v1";
import {
  PrometheusRule,
  ServiceMonitor,
  type IPrometheusRule,
  type IServiceMonitor,
} from "@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { parse, parseAllDocuments } from "yaml";
import { haveBinary } from "../binaries.js";
import { get, startStack, TOKEN, type Stack } from "../harness.js";
import { kubeletSecret } from "../kubelet-secret.js";

const HAVE_KUBECTL = haveBinary("kubectl", "kubectl");
const HAVE_PROMTOOL = haveBinary("promtool", "prometheus");
const BASE = fileURLToPath(new URL("../../deploy/kubernetes", import.meta.url));
const read = (path: string): string => readFileSync(new URL(path, import.meta.url), "utf8");
const ALERTS = read("../../prometheus/alerts.yml");
const RECORDS = read("../../prometheus/rules.yml");

type Manifest = Record<string, unknown> & { apiVersion: string; kind: string };

const MODELS: Record<string, (data: Manifest) => { validate(): void }> = {
  "apps/v1 Deployment": (data) => new Deployment(data as unknown as IDeployment),
  "v1 Service": (data) => new Service(data as unknown as IService),
  "networking.k8s.io/v1 NetworkPolicy": (data) =>
    new NetworkPolicy(data as unknown as INetworkPolicy),
  "monitoring.coreos.com/v1 ServiceMonitor": (data) =>
    new ServiceMonitor(data as unknown as IServiceMonitor),
  "monitoring.coreos.com/v1 PrometheusRule": (data) =>
    new PrometheusRule(data as unknown as IPrometheusRule),
};

/** Checks an object against the schema of its apiVersion and kind; throws on a problem. */
function validate(manifest: Manifest): void {
  const model = MODELS[`${manifest.apiVersion} ${manifest.kind}`];
  if (model === undefined) throw new Error(`no schema for ${manifest.apiVersion} ${manifest.kind}`);
  model(manifest).validate();
}

/** Bytes of a Kubernetes memory quantity (Mi, Gi, M, G or none), millicores of a CPU one. */
function quantity(text: string | number | undefined): number {
  const match = /^(\d+(?:\.\d+)?)(m|Ki|Mi|Gi|k|M|G)?$/.exec(String(text));
  if (match === null) throw new Error(`not a quantity: ${String(text)}`);
  const factor: Record<string, number> = {
    m: 1e-3,
    Ki: 2 ** 10,
    Mi: 2 ** 20,
    Gi: 2 ** 30,
    k: 1e3,
    M: 1e6,
    G: 1e9,
  };
  return Number(match[1]) * (match[2] === undefined ? 1 : (factor[match[2]] ?? NaN));
}

interface Kinds {
  Deployment: IDeployment;
  Service: IService;
  NetworkPolicy: INetworkPolicy;
  ServiceMonitor: IServiceMonitor;
  PrometheusRule: IPrometheusRule;
}

let manifests: Manifest[] = [];
const one = <K extends keyof Kinds>(kind: K): Kinds[K] => {
  const found = manifests.filter((m) => m.kind === kind);
  if (found.length !== 1) throw new Error(`${found.length} objects of kind ${kind}`);
  return found[0] as unknown as Kinds[K];
};

beforeAll(() => {
  if (!HAVE_KUBECTL) return;
  const text = execFileSync("kubectl", ["kustomize", BASE], { encoding: "utf8" });
  manifests = parseAllDocuments(text).map((doc) => doc.toJS() as Manifest);
});

let stack: Stack | undefined;
afterEach(async () => {
  await stack?.close();
  stack = undefined;
});

describe.runIf(HAVE_KUBECTL)("the Kubernetes base (kubectl kustomize deploy/kubernetes)", () => {
  it("renders a Deployment, a Service, a NetworkPolicy, a ServiceMonitor and a PrometheusRule, each valid against its schema", () => {
    expect(manifests.map((m) => m.kind).sort()).toEqual(
      ["Deployment", "NetworkPolicy", "PrometheusRule", "Service", "ServiceMonitor"].sort(),
    );
    for (const manifest of manifests) expect(() => validate(manifest)).not.toThrow();
  });

  it("has schema checks that refuse a wrong field type and a rule without an expression", () => {
    const deployment = one("Deployment");
    const broken = { ...deployment, spec: { ...deployment.spec, replicas: "1" } };
    expect(() => validate(broken as unknown as Manifest)).toThrow(/replicas must be integer/);
    const rule = one("PrometheusRule");
    const group = rule.spec.groups?.[0];
    const noExpr = {
      ...rule,
      spec: { groups: [{ ...group, rules: [{ alert: "X", for: "5m" }] }] },
    };
    expect(() => validate(noExpr as unknown as Manifest)).toThrow(
      /must have required property expr/,
    );
  });

  it("runs one replica, non-root with a read-only root filesystem, no capabilities, seccomp RuntimeDefault and no service account token", () => {
    const deployment = one("Deployment");
    expect(deployment.spec?.replicas).toBe(1);
    const pod = deployment.spec?.template.spec;
    expect(pod?.automountServiceAccountToken).toBe(false);
    expect(pod?.securityContext?.runAsNonRoot).toBe(true);
    expect(pod?.securityContext?.runAsUser).toBe(1000);
    expect(pod?.securityContext?.seccompProfile?.type).toBe("RuntimeDefault");
    expect(pod?.containers).toHaveLength(1);
    const container = pod?.containers[0];
    expect(container?.securityContext?.readOnlyRootFilesystem).toBe(true);
    expect(container?.securityContext?.allowPrivilegeEscalation).toBe(false);
    expect(container?.securityContext?.capabilities).toEqual({ drop: ["ALL"] });
    expect(container?.securityContext?.privileged).toBeUndefined();
  });

  it("sizes memory from bench/RESULTS.md: the request above the steady RSS at 100 accounts, the limit 1.25 to 2 x the peak at the default bounds", () => {
    const goals = read("../../bench/RESULTS.md");
    const steady = /\| 100 accounts[^|]*steady RSS[^|]*\| [\d.]+ × \(([\d.]+) \/ [\d.]+ MiB\)/.exec(
      goals,
    );
    const peaks = [
      ...goals.matchAll(/At the default bounds[^|]*peak RSS[^|]*\| at most ([\d.]+) MiB/g),
    ];
    expect(steady, "bench/RESULTS.md's steady RSS at 100 accounts").not.toBeNull();
    expect(peaks.length, "bench/RESULTS.md's peaks at the default bounds, one per Node").toBe(2);
    const mib = 2 ** 20;
    const peak = Math.max(...peaks.map((m) => Number(m[1]))) * mib;
    const resources = one("Deployment").spec?.template.spec?.containers[0]?.resources;
    const request = quantity(resources?.requests?.["memory"]);
    const limit = quantity(resources?.limits?.["memory"]);
    expect(request).toBeGreaterThanOrEqual(Number(steady?.[1]) * mib);
    expect(limit).toBeGreaterThanOrEqual(peak * 1.25);
    expect(limit).toBeLessThanOrEqual(peak * 2);
    expect(quantity(resources?.requests?.["cpu"])).toBeLessThanOrEqual(
      quantity(resources?.limits?.["cpu"]),
    );
  });

  it("reads the token from the whole Secret volume (no subPath, which the kubelet never updates)", () => {
    const pod = one("Deployment").spec?.template.spec;
    const container = pod?.containers[0];
    const volume = pod?.volumes?.find((v) => v.secret !== undefined);
    const mount = container?.volumeMounts?.find((m) => m.name === volume?.name);
    expect(volume?.secret?.secretName).toBe("useapi-minimax-token");
    expect(mount?.readOnly).toBe(true);
    expect(mount?.subPath).toBeUndefined();
    const item = volume?.secret?.items?.find((i) => i.key === "token");
    expect(container?.args).toContain(
      `--useapi.token-file=${String(mount?.mountPath)}/${String(item?.path)}`,
    );
    expect(container?.env ?? []).toEqual([]);
  });

  it("starts the exporter with the Deployment's flags and a kubelet-style Secret, and its probes answer 200 once a poll succeeded", async () => {
    const container = one("Deployment").spec?.template.spec?.containers[0];
    const args = container?.args ?? [];
    const port = container?.ports?.find((p) => p.name === "metrics")?.containerPort;
    expect(args).toContain(`--web.listen-address=:${String(port)}`);
    const secret = kubeletSecret({ token: `${TOKEN}\n` });
    const flags = args
      .filter((arg) => !arg.startsWith("--web.listen-address="))
      .map((arg) =>
        arg.startsWith("--useapi.token-file=")
          ? `--useapi.token-file=${join(secret.dir, "token")}`
          : arg,
      );
    stack = await startStack({ flags, env: {} });
    expect(await stack.exporter.runner("jobs").pollOnce()).toBe("success");
    for (const probe of [container?.livenessProbe, container?.readinessProbe]) {
      expect(probe?.httpGet?.port).toBe("metrics");
      const answer = await get(`${stack.exporter.url}${String(probe?.httpGet?.path)}`);
      expect(answer.status).toBe(200);
    }
    expect(container?.livenessProbe?.httpGet?.path).toBe("/-/healthy");
    expect(container?.readinessProbe?.httpGet?.path).toBe("/-/ready");
  });

  it("names the metrics port in the pod, the Service and the ServiceMonitor, and selects the pods and the Service by their labels", () => {
    const deployment = one("Deployment");
    const podLabels = deployment.spec?.template.metadata?.labels ?? {};
    const service = one("Service");
    expect(service.spec?.ports).toEqual([
      { name: "metrics", port: 9877, targetPort: "metrics", protocol: "TCP" },
    ]);
    expect(podLabels).toMatchObject(service.spec?.selector ?? { missing: "selector" });
    expect(service.spec?.publishNotReadyAddresses).toBe(true);
    expect(podLabels).toMatchObject(deployment.spec?.selector.matchLabels ?? { missing: "" });
    const monitor = one("ServiceMonitor");
    expect(service.metadata?.labels).toMatchObject(monitor.spec.selector.matchLabels ?? {});
    expect(monitor.spec.endpoints.map((e) => e.port)).toEqual(["metrics"]);
  });

  it("gives the scrapes the job the mixin's default selector names (the Service's name, no jobLabel)", () => {
    const job = /up\{job=\\?"([^"\\]+)\\?"\}/.exec(ALERTS)?.[1];
    expect(job).toBe("useapi-minimax");
    expect(one("Service").metadata?.name).toBe(job);
    expect(one("ServiceMonitor").spec.jobLabel).toBeUndefined();
  });

  it("lets in only the metrics port, and out only DNS and HTTPS", () => {
    const policy = one("NetworkPolicy");
    const podLabels = one("Deployment").spec?.template.metadata?.labels ?? {};
    expect(podLabels).toMatchObject(policy.spec?.podSelector.matchLabels ?? { missing: "" });
    expect(policy.spec?.policyTypes).toEqual(["Ingress", "Egress"]);
    expect(policy.spec?.ingress).toEqual([{ ports: [{ port: "metrics", protocol: "TCP" }] }]);
    const egress = policy.spec?.egress ?? [];
    expect(egress.flatMap((rule) => rule.ports ?? [{ port: "any" }])).toEqual([
      { port: 53, protocol: "UDP" },
      { port: 53, protocol: "TCP" },
      { port: 443, protocol: "TCP" },
    ]);
  });

  it("carries exactly the rule groups of prometheus/rules.yml and alerts.yml in the PrometheusRule", () => {
    const groups = (text: string): unknown[] => (parse(text) as { groups: unknown[] }).groups;
    const rule = one("PrometheusRule");
    expect(rule.spec.groups).toEqual([...groups(RECORDS), ...groups(ALERTS)]);
  });

  it.runIf(HAVE_PROMTOOL)("has PrometheusRule rules that promtool accepts", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "rules-")), "rules.yml");
    writeFileSync(file, JSON.stringify({ groups: one("PrometheusRule").spec.groups }));
    const output = await new Promise<string>((resolve, reject) => {
      execFile("promtool", ["check", "rules", file], (error, stdout, stderr) => {
        if (error) reject(new Error(`${stdout}${stderr}`));
        else resolve(stdout);
      });
    });
    expect(output).toMatch(/SUCCESS: \d+ rules found/);
  });

  it("tags the image with the package's version", () => {
    const kustomization = parse(read("../../deploy/kubernetes/kustomization.yaml")) as {
      images?: { name: string; newTag?: string }[];
    };
    const { version } = JSON.parse(read("../../package.json")) as { version: string };
    expect(kustomization.images).toEqual([{ name: "useapi-minimax-exporter", newTag: version }]);
    const image = one("Deployment").spec?.template.spec?.containers[0]?.image;
    expect(image).toBe(`useapi-minimax-exporter:${version}`);
  });
});
