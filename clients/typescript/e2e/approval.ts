/**
 * An approval end to end through the client, against a running Keel:
 *
 *   KEEL_URL=http://127.0.0.1:8000 KEEL_API_KEY=keel_… \
 *   KEEL_ASSIGNEE_EMAIL=mia@demo.keel.test KEEL_ASSIGNEE_PASSWORD=… node dist/e2e/approval.js
 *
 * The assignee must hold the role KEEL_ASSIGNEE_ROLE (default `manager`) with tasks:read and
 * tasks:complete. The API key starts three approvals; the assignee waits for the first one's task
 * and approves it; the key waits for that process to complete, then pages through the three.
 */
import assert from "node:assert/strict";
import { randomUUID } from "node:crypto";

import {
  createKeel,
  NotFoundError,
  signIn,
  ValidationError,
  type Keel,
  type Process,
  type ProcessStart,
} from "../src/index.js";

function env(name: string, fallback?: string): string {
  const value = process.env[name] ?? fallback;
  if (!value) throw new Error(`set ${name}`);
  return value;
}

const url = env("KEEL_URL");
const role = env("KEEL_ASSIGNEE_ROLE", "manager");
const run = randomUUID().slice(0, 8); // business keys unique per run: the script can be run again
const minute = { timeoutMs: 60_000 };

function approval(key: string): ProcessStart {
  return {
    definition: "approval",
    business_key: key,
    input: {
      subject: "New laptops",
      amount: { value: "1200.00", currency: "EUR" },
      chain: [{ assignee: `role:${role}`, due: "P2D" }],
      on_timeout: "reject",
    },
  };
}

function step(what: string, detail: Record<string, unknown> = {}): void {
  console.log(JSON.stringify({ step: what, ...detail }));
}

async function start(keel: Keel, key: string, idempotencyKey?: string): Promise<Process> {
  const headers = idempotencyKey ? { "Idempotency-Key": idempotencyKey } : undefined;
  return keel.data(keel.POST("/api/v1/processes", { body: approval(key), ...(headers && { headers }) }));
}

async function main(): Promise<void> {
  const admin = createKeel({ url, apiKey: env("KEEL_API_KEY") });

  const started = await start(admin, `TS-${run}-1`, `ts-${run}`);
  assert.equal(started.status, "running");
  // The same Idempotency-Key and body answer the first start again: no second process.
  assert.equal((await start(admin, `TS-${run}-1`, `ts-${run}`)).id, started.id);
  step("started", { id: started.id, workflow_id: started.workflow_id });

  const token = await signIn({ url, username: env("KEEL_ASSIGNEE_EMAIL"), password: env("KEEL_ASSIGNEE_PASSWORD") });
  const assignee = createKeel({ url, token });
  const task = await assignee.waitForTask({ processId: started.id, assignee: "me", ...minute });
  assert.equal(task.assignee, `role:${role}`);
  step("task open", { id: task.id });

  const done = await assignee.data(
    assignee.POST("/api/v1/tasks/{task_id}/complete", {
      params: { path: { task_id: task.id } },
      body: { outcome: "approve", comment: "fine" },
    }),
  );
  assert.equal(done.status, "completed");
  step("task completed", { outcome: done.outcome });

  const final = await admin.waitForProcess(started.id, minute);
  assert.equal(final.status, "completed");
  assert.equal((final.result as { outcome?: unknown }).outcome, "approved");
  step("process completed", { result: final.result });

  // Errors arrive as exceptions carrying the envelope.
  await assert.rejects(
    admin.GET("/api/v1/processes/{process_id}", { params: { path: { process_id: randomUUID() } } }),
    (error: unknown) => error instanceof NotFoundError && error.code === "not_found" && error.status === 404,
  );
  await assert.rejects(
    admin.POST("/api/v1/processes", { body: { definition: "approval", business_key: `TS-${run}-bad`, input: {} } }),
    (error: unknown) =>
      error instanceof ValidationError && error.code === "validation_failed" && error.fields.length > 0,
  );

  // Pages of one: the iterator follows meta.next_cursor through every approval of this run.
  const more = [await start(admin, `TS-${run}-2`), await start(admin, `TS-${run}-3`)];
  const seen: string[] = [];
  for await (const p of admin.paginate((cursor) =>
    admin.GET("/api/v1/processes", { params: { query: { definition: "approval", limit: 1, cursor } } }),
  )) {
    if (p.business_key.startsWith(`TS-${run}-`)) seen.push(p.id);
  }
  assert.deepEqual(seen.sort(), [started.id, ...more.map((p) => p.id)].sort());
  step("paged", { processes: seen.length });

  for (const p of more) {
    await admin.POST("/api/v1/processes/{process_id}/cancel", { params: { path: { process_id: p.id } } });
  }
  step("ok");
}

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
