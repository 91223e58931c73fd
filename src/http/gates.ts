import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";

/** A check ahead of routing: true lets the request on, false has answered it; sync if it can be. */
export type Gate = (req: IncomingMessage, res: ServerResponse) => boolean | Promise<boolean>;

/** `serve` behind the gates, run in order; a gate that throws or rejects goes to `failed`. */
export function behindGates(
  gates: readonly Gate[],
  serve: RequestListener,
  failed: (res: ServerResponse, error: unknown) => void,
): RequestListener {
  if (gates.length === 0) return serve;
  const pass = (req: IncomingMessage, res: ServerResponse, from: number): void => {
    for (let i = from; i < gates.length; i++) {
      const gate = gates[i] as Gate;
      const result = gate(req, res);
      if (result === false) return;
      if (result !== true) {
        result.then(
          (ok) => {
            if (ok) pass(req, res, i + 1);
          },
          (error: unknown) => failed(res, error),
        );
        return;
      }
    }
    serve(req, res);
  };
  return (req, res) => pass(req, res, 0);
}
