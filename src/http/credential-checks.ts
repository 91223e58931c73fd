import { createHash, createHmac } from "node:crypto";
import { verify as bcryptVerify } from "@node-rs/bcrypt";

/** Compared against for an unknown user when no user is configured at all. */
const DUMMY_HASH = "$2y$10$nzgJ949J0wGVHjz6dI.tf.vchSu79NvDQTaDibLwP11jDzaVF/Sxq";

/**
 * An unknown user's hash: a user's own, picked by the name's HMAC keyed by the hashes (unseen by
 * clients), so a name always costs the same and unknown ones what users do (no fixed cost would).
 */
function standInHash(users: ReadonlyMap<string, string>): (user: string) => string {
  const hashes = [...users.values()];
  if (hashes.length === 0) return () => DUMMY_HASH;
  const key = createHash("sha256").update(hashes.join("\0")).digest();
  return (user) => {
    const pick = createHmac("sha256", key).update(user).digest().readUIntBE(0, 6);
    return hashes[pick % hashes.length] ?? DUMMY_HASH;
  };
}

export interface CredentialCheckOptions {
  users: ReadonlyMap<string, string>;
  /** Runs off the main thread (@node-rs/bcrypt on libuv's pool); injectable for tests. */
  verify?: (password: string, hash: string) => Promise<boolean>;
  /** bcrypt checks run at once (exporter-toolkit runs one, behind a mutex). */
  concurrency?: number;
  /** Checks waiting for a turn; beyond this a check is refused at once without bcrypt. */
  maxWaiting?: number;
  /** Remembered good logins; bad results are kept apart so that a flood cannot evict these. */
  goodCacheSize?: number;
  badCacheSize?: number;
  /** Told whenever the number of running or waiting checks changes. */
  onQueue?: (state: { running: number; waiting: number }) => void;
}

/** "busy": too many checks waiting, answer 503 without running bcrypt. */
export type CheckResult = boolean | "busy";

/** Basic auth's bcrypt checks: a few at once, bounded waiting, cached by (user, hash, password). */
export function createCredentialChecks(options: CredentialCheckOptions) {
  const {
    users,
    verify = bcryptVerify,
    concurrency = 1,
    maxWaiting = 16,
    goodCacheSize = 64,
    badCacheSize = 1024,
    onQueue,
  } = options;
  const standIn = standInHash(users);
  const good = new Set<string>();
  const bad = new Set<string>();
  const inFlight = new Map<string, Promise<boolean>>();
  const waiting: (() => void)[] = [];
  let running = 0;
  const tell = () => onQueue?.({ running, waiting: waiting.length });

  const remember = (cache: Set<string>, size: number, key: string) => {
    // Sets iterate in insertion order: the oldest entry goes first.
    if (cache.size >= size) cache.delete(cache.values().next().value as string);
    cache.add(key);
  };

  async function run(password: string, hash: string): Promise<boolean> {
    if (running >= concurrency) {
      const turn = new Promise<void>((resolve) => waiting.push(resolve));
      tell();
      await turn; // the slot is handed over by the check that ends
    } else {
      running++;
      tell();
    }
    try {
      return await verify(password, hash).catch(() => false);
    } finally {
      const next = waiting.shift();
      if (next) next();
      else running--;
      tell();
    }
  }

  return {
    /** Synchronous when the answer is cached; a promise when bcrypt must run. */
    check(user: string, password: string): CheckResult | Promise<CheckResult> {
      const hash = users.get(user);
      const key = createHash("sha256")
        .update(`${user}\0${hash ?? ""}\0${password}`)
        .digest("hex");
      if (good.has(key)) return hash !== undefined;
      if (bad.has(key)) return false;
      let pending = inFlight.get(key);
      if (pending === undefined) {
        if (running >= concurrency && waiting.length >= maxWaiting) return "busy";
        pending = run(password, hash ?? standIn(user)).then((ok) => {
          const valid = ok && hash !== undefined;
          if (valid) remember(good, goodCacheSize, key);
          else remember(bad, badCacheSize, key);
          inFlight.delete(key);
          return valid;
        });
        inFlight.set(key, pending);
      }
      return pending;
    },
  };
}
