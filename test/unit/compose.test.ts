import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";

interface Service {
  ports?: (string | { published?: string | number; host_ip?: string })[];
  environment?: Record<string, string> | string[];
}

const compose = parse(
  readFileSync(new URL("../../docker-compose.yml", import.meta.url), "utf8"),
) as {
  services: Record<string, Service>;
};

/** The environment of a service as a map, whichever of compose's two forms it is written in. */
function environment(service: Service | undefined): Record<string, string> {
  const env = service?.environment ?? {};
  const entries: [string, string][] = Array.isArray(env)
    ? env.map((entry) => [entry.slice(0, entry.indexOf("=")), entry.slice(entry.indexOf("=") + 1)])
    : Object.entries(env);
  return Object.fromEntries(entries);
}

describe("docker-compose.yml, a local demo", () => {
  it("publishes every port on 127.0.0.1 only, never on all interfaces", () => {
    const published = Object.entries(compose.services).flatMap(([name, service]) =>
      (service.ports ?? []).map((port) => [name, port] as const),
    );
    // One port each, the four the file's header names.
    expect(published.map(([name]) => name)).toEqual([
      "exporter",
      "prometheus",
      "alertmanager",
      "grafana",
    ]);
    for (const [name, port] of published) {
      const host = typeof port === "string" ? port.split(":")[0] : port.host_ip;
      expect(host, `${name}: ${JSON.stringify(port)}`).toBe("127.0.0.1");
    }
  });

  it("lets anonymous visitors into Grafana as Viewer at most, with no login form", () => {
    const env = environment(compose.services["grafana"]);
    expect(env["GF_AUTH_ANONYMOUS_ENABLED"]).toBe("true");
    expect(env["GF_AUTH_ANONYMOUS_ORG_ROLE"]).toBe("Viewer");
    expect(env["GF_AUTH_DISABLE_LOGIN_FORM"]).toBe("true");
  });
});
