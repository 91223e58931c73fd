// The build's npm settings: this machine's npmrc files, with the CA bundle pointed at its own secret.
import { execFileSync } from "node:child_process";
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import process from "node:process";

function npmConfig(key) {
  const value = execFileSync("npm", ["config", "get", key], { encoding: "utf8", cwd: "/" }).trim();
  return value === "" || value === "null" || value === "undefined" ? undefined : value;
}

/**
 * Writes `npmrc` (and `npm-ca` when this machine has a CA bundle) into the private directory `dir`
 * and returns podman build's --secret arguments for them.
 */
export function writeNpmSecrets(dir) {
  const lines = [];
  for (const file of [npmConfig("globalconfig"), npmConfig("userconfig")]) {
    if (file === undefined || !existsSync(file)) continue;
    lines.push(
      ...readFileSync(file, "utf8")
        .split("\n")
        .filter((line) => !/^\s*cafile\s*=/.test(line)),
    );
  }
  const ca = npmConfig("cafile") ?? process.env.NODE_EXTRA_CA_CERTS;
  const args = ["--secret", `id=npmrc,src=${join(dir, "npmrc")}`];
  if (ca !== undefined && existsSync(ca)) {
    copyFileSync(ca, join(dir, "npm-ca"));
    lines.push("cafile=/run/secrets/npm-ca");
    args.push("--secret", `id=npm-ca,src=${join(dir, "npm-ca")}`);
  }
  writeFileSync(join(dir, "npmrc"), `${lines.join("\n")}\n`, { mode: 0o600 });
  return args;
}
