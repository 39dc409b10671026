/**
 * The client's own logic without a server, through a fake fetch: a 503 and a 429 before a 201 are
 * retried (waiting as Retry-After says, the POST repeated with one Idempotency-Key), what is not
 * retried is raised as a typed error, and a wait gives up at its timeout.  node dist/e2e/offline.js
 */
import assert from "node:assert/strict";

import { ConflictError, createKeel, retryAfterMs, WaitTimeoutError } from "../src/index.js";

const envelope = (status: number, body: unknown, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", ...headers } });
const busy = { status: "error", error: { code: "service_unavailable", message: "try again", details: {} } };

async function main(): Promise<void> {
  const seen: { key: string | null; body: string; at: number }[] = [];
  const answers = [
    envelope(503, busy),
    envelope(429, { ...busy, error: { ...busy.error, code: "rate_limited" } }, { "Retry-After": "1" }),
    envelope(201, { status: "success", data: { id: "p1", status: "running" }, meta: {} }),
  ];
  const keel = createKeel({
    url: "http://keel.invalid",
    apiKey: "keel_test",
    baseDelayMs: 10,
    fetch: async (request) => {
      seen.push({ key: request.headers.get("Idempotency-Key"), body: await request.text(), at: Date.now() });
      return answers.shift() ?? envelope(500, busy);
    },
  });
  const body = { definition: "approval", business_key: "R-1", input: {} };
  const started = await keel.data(keel.POST("/api/v1/processes", { body }));
  assert.equal(started.id, "p1");
  assert.equal(seen.length, 3);
  const key = seen[0]?.key;
  assert.ok(key, "a POST carries an Idempotency-Key");
  assert.ok(seen.every((s) => s.key === key && s.body === JSON.stringify(body)), "each attempt is the same request");
  assert.ok(seen[2]!.at - seen[1]!.at >= 950, "Retry-After: 1 is waited for");

  const conflict = { status: "error", error: { code: "conflict", message: "closed", details: { state: "done" } } };
  const once = createKeel({ url: "http://keel.invalid", token: "t", fetch: async () => envelope(409, conflict) });
  await assert.rejects(
    once.POST("/api/v1/tasks/{task_id}/complete", {
      params: { path: { task_id: "t1" } },
      body: { outcome: "approve" },
    }),
    (error: unknown) =>
      error instanceof ConflictError && error.code === "conflict" && error.details["state"] === "done",
  );

  const running = { status: "success", data: { id: "p1", status: "running" }, meta: {} };
  const polled: string[] = [];
  const stuck = createKeel({
    url: "http://keel.invalid",
    token: "t",
    fetch: async (request) => (polled.push(request.url), envelope(200, running)),
  });
  await assert.rejects(stuck.waitForProcess("p1", { timeoutMs: 10 }), WaitTimeoutError);
  // A server would hold each poll for its `wait`; this one answers at once, so there may be several.
  assert.ok(polled.length > 0 && polled.every((url) => url === "http://keel.invalid/api/v1/processes/p1?wait=1"));

  assert.equal(retryAfterMs("3"), 3000);
  assert.equal(retryAfterMs(new Date(10_000).toUTCString(), 4_000), 6000);
  assert.equal(retryAfterMs(null), undefined);
  console.log(JSON.stringify({ step: "ok" }));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
