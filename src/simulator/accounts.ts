import { randomInt, type Random } from "./random.js";

/** Every simulated credential contains this, so a test can prove none of it leaks. */
export const JWT_SECRET_MARKER = "SIMULATED-JWT-SECRET";
export const JWT_HOST = "hailuoai.video";

const DAY_MS = 86_400_000;
const JWT_HEADER = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9";

/** The ground truth behind one entry of GET /v1/minimax/accounts. */
export interface AccountProfile {
  readonly maxJobs: number;
  /** When the account's MiniMax session expires, epoch ms; 3 to 60 days after the model's start. */
  jwtExpMs: number;
  readonly jwtIatMs: number;
  readonly supportVideo: boolean;
  readonly supportMusic: boolean;
  readonly supportChat: boolean;
  readonly supportAudio: boolean;
  /** Set when the account is broken; the body then carries it as `error`. */
  error: string | undefined;
  readonly token: string;
}

/** One account object, as documented for GET /v1/minimax/accounts. */
export interface AccountBody {
  account: string;
  jwt: {
    token: string;
    /** Epoch seconds, fractional. */
    exp: number;
    iat: number;
    host: string;
    exp_Expire: string;
    user: { id: string };
  };
  maxJobs: number;
  supportVideo: boolean;
  supportMusic: boolean;
  supportChat: boolean;
  supportAudio: boolean;
  error?: string;
}

/** The 200 body of GET /v1/minimax/accounts: account ID to its configuration. */
export type AccountsBody = Record<string, AccountBody>;

export function drawProfile(
  random: Random,
  account: string,
  maxJobs: number,
  startMs: number,
): AccountProfile {
  const jwtExpMs = startMs + randomInt(random, 3 * DAY_MS, 60 * DAY_MS);
  const jwtIatMs = startMs - randomInt(random, 60_000, 27 * DAY_MS);
  const supportMusic = random() < 0.5;
  const supportChat = random() < 0.7;
  const supportAudio = random() < 0.3;
  let signature = "";
  for (let i = 0; i < 8; i++)
    signature += randomInt(random, 0, 0xffff).toString(16).padStart(4, "0");
  return {
    maxJobs,
    jwtExpMs,
    jwtIatMs,
    supportVideo: true,
    supportMusic,
    supportChat,
    supportAudio,
    error: undefined,
    token: `${JWT_HEADER}.${JWT_SECRET_MARKER}-${account}.${signature}`,
  };
}

export function accountBody(account: string, profile: AccountProfile): AccountBody {
  return {
    account,
    jwt: {
      token: profile.token,
      exp: profile.jwtExpMs / 1000,
      iat: profile.jwtIatMs / 1000,
      host: JWT_HOST,
      exp_Expire: new Date(profile.jwtExpMs).toISOString(),
      user: { id: account },
    },
    maxJobs: profile.maxJobs,
    supportVideo: profile.supportVideo,
    supportMusic: profile.supportMusic,
    supportChat: profile.supportChat,
    supportAudio: profile.supportAudio,
    ...(profile.error === undefined ? {} : { error: profile.error }),
  };
}
