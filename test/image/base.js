// Assembles a local Node.js base image, since no registry image can be pulled here: npm's `node`
// package binary of the Dockerfile's major, the libraries ldd lists, busybox for /bin/sh, this
// machine's npm, a `node` user (uid 1000, as in the official image).
import { execFileSync, spawn } from "node:child_process";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { dirname, join } from "node:path";
import { podmanOk } from "./podman.js";

// The rest of glibc's runtime, which native addons (such as @node-rs/bcrypt's) load besides node's own.
const GLIBC_EXTRAS = [
  "librt.so.1",
  "libresolv.so.2",
  "libutil.so.1",
  "libnss_dns.so.2",
  "libnss_files.so.2",
];
const NPX_TIMEOUT_MS = 180_000;
const IMPORT_TIMEOUT_MS = 180_000;

/** The path of npm's `node` binary for `major` (npx downloads it once, then caches it). */
function nodeBinary(major) {
  return execFileSync("npx", ["-y", `node@${major}`, "-p", "process.execPath"], {
    encoding: "utf8",
    timeout: NPX_TIMEOUT_MS,
    cwd: "/",
  }).trim();
}

/** The shared libraries `binary` loads, the dynamic loader included, as absolute paths. */
export function sharedLibraries(lddOutput) {
  const paths = [];
  for (const line of lddOutput.split("\n")) {
    const match = /=>\s*(\/\S+)/.exec(line) ?? /^\s*(\/\S+)\s+\(/.exec(line);
    if (match) paths.push(match[1]);
  }
  return paths;
}

function copyInto(root, path, from = path) {
  mkdirSync(join(root, dirname(path)), { recursive: true });
  copyFileSync(from, join(root, path));
}

function link(root, path, target) {
  mkdirSync(join(root, dirname(path)), { recursive: true });
  symlinkSync(target, join(root, path));
}

/** Writes the base's root filesystem into `root` and returns the Node.js version it holds. */
export function assembleRoot(root, major) {
  const node = nodeBinary(major);
  const version = execFileSync(node, ["--version"], { encoding: "utf8" }).trim();
  copyInto(root, "usr/local/bin/node", node);
  chmodSync(join(root, "usr/local/bin/node"), 0o755);
  const libs = sharedLibraries(execFileSync("ldd", [node], { encoding: "utf8" }));
  const libc = libs.find((lib) => lib.endsWith("/libc.so.6"));
  if (libc === undefined)
    throw new Error(`ldd ${node} lists no libc.so.6: a glibc Node.js is needed`);
  const extras = GLIBC_EXTRAS.map((name) => join(dirname(libc), name)).filter((lib) =>
    existsSync(lib),
  );
  for (const lib of [...libs, ...extras]) copyInto(root, lib);
  if (!existsSync("/bin/busybox"))
    throw new Error("no /bin/busybox for the base's /bin/sh: apt-get install busybox-static");
  copyInto(root, "bin/busybox", "/bin/busybox");
  chmodSync(join(root, "bin/busybox"), 0o755);
  link(root, "bin/sh", "busybox");
  link(root, "usr/bin/env", "/bin/busybox");
  const npmRoot = join(execFileSync("npm", ["root", "-g"], { encoding: "utf8" }).trim(), "npm");
  cpSync(npmRoot, join(root, "usr/local/lib/node_modules/npm"), { recursive: true });
  link(root, "usr/local/bin/npm", "../lib/node_modules/npm/bin/npm-cli.js");
  link(root, "usr/local/bin/npx", "../lib/node_modules/npm/bin/npx-cli.js");
  mkdirSync(join(root, "etc"), { recursive: true });
  writeFileSync(
    join(root, "etc/passwd"),
    "root:x:0:0:root:/root:/bin/sh\nnode:x:1000:1000:node:/home/node:/bin/sh\n",
  );
  writeFileSync(join(root, "etc/group"), "root:x:0:\nnode:x:1000:\n");
  mkdirSync(join(root, "root"), { mode: 0o700 });
  mkdirSync(join(root, "home/node"), { recursive: true });
  chownSync(join(root, "home/node"), 1000, 1000);
  mkdirSync(join(root, "tmp"));
  chmodSync(join(root, "tmp"), 0o1777);
  return version;
}

/** Imports the root filesystem in `root` as image `name`. */
export async function importBase(root, name) {
  const tar = spawn("tar", ["-C", root, "--numeric-owner", "-cf", "-", "."], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  await podmanOk(
    [
      "import",
      "--change",
      "ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin",
      "--change",
      'CMD ["node"]',
      "-",
      name,
    ],
    { timeoutMs: IMPORT_TIMEOUT_MS, stdin: tar.stdout },
  );
}
