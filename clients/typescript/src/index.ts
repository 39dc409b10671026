/**
 * Keel's TypeScript client: the generated types (`schema.d.ts`, from Keel's OpenAPI) drive
 * openapi-fetch; this file adds what every caller needs and the generator cannot know: the bearer
 * credential, errors as exceptions carrying the error envelope, retries that are safe to repeat,
 * cursor pagination and the long polls.
 */
import createClient, { type Client, type Middleware } from "openapi-fetch";

import type { components, paths } from "./schema.js";

export type { components, paths };
export type Schemas = components["schemas"];

/** `{field, message}` of a 422 `validation_failed`'s `details.fields`. */
export interface FieldError {
  field: string;
  message: string;
}

/** An error envelope (`{"status": "error", "error": {code, message, details}}`) as an exception. */
export class KeelError extends Error {
  override readonly name: string = "KeelError";

  constructor(
    /** The HTTP status. */
    readonly status: number,
    /** The envelope's stable code: `not_found`, `validation_failed`, `conflict`, ... */
    readonly code: string,
    message: string,
    readonly details: Record<string, unknown>,
    readonly response: Response,
  ) {
    super(message);
  }

  /** The fields a 422 names (empty for other errors). */
  get fields(): FieldError[] {
    const fields = this.details["fields"];
    return Array.isArray(fields) ? (fields as FieldError[]) : [];
  }

  /** A 500's reference into the server's logs. */
  get correlationId(): string | undefined {
    const id = this.details["correlation_id"];
    return typeof id === "string" ? id : undefined;
  }
}

export class UnauthenticatedError extends KeelError {
  override readonly name = "UnauthenticatedError";
}
export class ForbiddenError extends KeelError {
  override readonly name = "ForbiddenError";
}
export class NotFoundError extends KeelError {
  override readonly name = "NotFoundError";
}
export class ConflictError extends KeelError {
  override readonly name = "ConflictError";
}
export class PreconditionFailedError extends KeelError {
  override readonly name = "PreconditionFailedError";
}
export class ValidationError extends KeelError {
  override readonly name = "ValidationError";
}
export class RateLimitedError extends KeelError {
  override readonly name = "RateLimitedError";
}
export class ServiceUnavailableError extends KeelError {
  override readonly name = "ServiceUnavailableError";
}

/** A wait's `timeoutMs` passed first: the server answered every poll, with nothing yet. */
export class WaitTimeoutError extends Error {
  override readonly name = "WaitTimeoutError";
}

const ERROR_CLASSES: Record<number, typeof KeelError> = {
  401: UnauthenticatedError,
  403: ForbiddenError,
  404: NotFoundError,
  409: ConflictError,
  412: PreconditionFailedError,
  422: ValidationError,
  429: RateLimitedError,
  503: ServiceUnavailableError,
};

/** The KeelError for a failed response; a body that is not Keel's envelope (a proxy's page) still gives one. */
export async function errorFrom(response: Response): Promise<KeelError> {
  let code = `http_${response.status}`;
  let message = response.statusText || `HTTP ${response.status}`;
  let details: Record<string, unknown> = {};
  try {
    const body: unknown = await response.clone().json();
    const error = (body as { error?: unknown } | null)?.error;
    if (error && typeof error === "object") {
      const e = error as { code?: unknown; message?: unknown; details?: unknown };
      if (typeof e.code === "string") code = e.code;
      if (typeof e.message === "string") message = e.message;
      if (e.details && typeof e.details === "object") details = e.details as Record<string, unknown>;
    }
  } catch {
    // not JSON: keep the status line
  }
  const Class = ERROR_CLASSES[response.status] ?? KeelError;
  return new Class(response.status, code, message, details, response);
}

export interface RetryOptions {
  /** Further attempts after the first (default 4; 0 turns retries and automatic Idempotency-Keys off). */
  retries?: number;
  /** First backoff in milliseconds, doubled per attempt, with full jitter (default 500). */
  baseDelayMs?: number;
  /** The longest backoff (default 8000). */
  maxDelayMs?: number;
  /** A Retry-After longer than this is not waited for: the 429/503 is raised (default 60000). */
  maxRetryAfterMs?: number;
}

type Credential = { apiKey: string; token?: never } | { token: string; apiKey?: never };

export type KeelOptions = {
  /** Where Keel runs, e.g. `http://127.0.0.1:8000` (paths carry `/api/v1` themselves). */
  url: string;
  /** Headers sent with every request. */
  headers?: Record<string, string>;
  /** The fetch to use (default: the global one). */
  fetch?: (request: Request) => Promise<Response>;
} & RetryOptions &
  Credential;

type FetchLike = (request: Request) => Promise<Response>;

const RETRIED_STATUSES = new Set([429, 503]);
// A failed connection may have reached the server: repeat only what is safe to repeat (POST is
// made safe by its Idempotency-Key).
const REPEATABLE_ON_NETWORK_ERROR = new Set(["GET", "HEAD", "OPTIONS", "PUT", "DELETE", "POST"]);

function sleep(ms: number, signal?: AbortSignal | null): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Retry-After in milliseconds: delta-seconds or an HTTP date; undefined when absent or unreadable. */
export function retryAfterMs(value: string | null, now: number = Date.now()): number | undefined {
  if (!value) return undefined;
  if (/^\s*\d+\s*$/.test(value)) return Number(value) * 1000;
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/**
 * A fetch that repeats a request answered 429 or 503 (or lost on the way), waiting as the server's
 * Retry-After says or else with exponential backoff. Each POST gets an Idempotency-Key up front when
 * it has none, so a repeat of one that did reach the server replays its first answer instead of
 * acting twice (Keel forgets the key of a 5xx answer, so a refused start may be retried).
 */
export function retryingFetch(inner: FetchLike, options: RetryOptions = {}): FetchLike {
  const retries = options.retries ?? 4;
  const base = options.baseDelayMs ?? 500;
  const cap = options.maxDelayMs ?? 8000;
  const maxRetryAfter = options.maxRetryAfterMs ?? 60_000;
  return async (request) => {
    if (retries > 0 && request.method === "POST" && !request.headers.has("Idempotency-Key")) {
      request = new Request(request);
      request.headers.set("Idempotency-Key", crypto.randomUUID());
    }
    for (let attempt = 0; ; attempt++) {
      const last = attempt >= retries;
      let response: Response;
      try {
        response = await inner(last ? request : request.clone());
      } catch (error) {
        if (last || request.signal.aborted || !REPEATABLE_ON_NETWORK_ERROR.has(request.method)) throw error;
        await sleep(backoff(attempt, base, cap), request.signal);
        continue;
      }
      if (last || !RETRIED_STATUSES.has(response.status)) return response;
      const told = retryAfterMs(response.headers.get("Retry-After"));
      if (told !== undefined && told > maxRetryAfter) return response;
      await response.body?.cancel();
      await sleep(told ?? backoff(attempt, base, cap), request.signal);
    }
  };
}

function backoff(attempt: number, base: number, cap: number): number {
  return Math.random() * Math.min(cap, base * 2 ** attempt);
}

/** Every failed response becomes a KeelError, so a call either returns its data or throws. */
const raiseErrors: Middleware = {
  async onResponse({ response }) {
    if (!response.ok) throw await errorFrom(response);
    return undefined;
  },
};

/** The envelope's `data` of an openapi-fetch result (`{data: envelope}` on success). */
export type Payload<R> = R extends { data: infer E } ? (E extends { data: infer D } ? D : E) : never;

/** What a list endpoint's call resolves to: an envelope whose `data` is an array. */
type PageResult<Item> = { data?: { data: Item[]; meta?: unknown }; response: Response };

export interface WaitOptions {
  /** Give up (a WaitTimeoutError) after this many milliseconds; default: wait on. */
  timeoutMs?: number;
  signal?: AbortSignal;
}

export interface WaitForTaskOptions extends WaitOptions {
  processId: string;
  /** `me` (tasks I may complete), `user:<email>` or `role:<name>`; default: any the caller may see. */
  assignee?: string;
}

// Named by their paths, not their component names: these stay put when a schema is renamed.
type Json<R> = R extends { content: { "application/json": infer B } } ? B : never;
export type ProcessStart = Json<paths["/api/v1/processes"]["post"]["requestBody"]>;
export type Process = Json<paths["/api/v1/processes/{process_id}"]["get"]["responses"][200]>["data"];
export type Task = Json<paths["/api/v1/tasks"]["get"]["responses"][200]>["data"][number];

export type Keel = Client<paths> & {
  /** The openapi-fetch client itself (the same methods as on this object). */
  client: Client<paths>;
  /** The `data` of a call's envelope: `await keel.data(keel.GET("/api/v1/processes/{process_id}", ...))`. */
  data<R extends { data?: unknown; response: Response }>(call: Promise<R>): Promise<Payload<R>>;
  /**
   * Every item of a list, page after page, following `meta.next_cursor`:
   * `for await (const p of keel.paginate((cursor) => keel.GET("/api/v1/processes", {params: {query: {cursor}}})))`.
   */
  paginate<Item>(
    page: (cursor: string | undefined) => Promise<PageResult<Item>>,
  ): AsyncGenerator<Item, void, undefined>;
  /** The process once it has ended (any status but `running`), by long polls of 30 s. */
  waitForProcess(processId: string, options?: WaitOptions): Promise<Process>;
  /** The first open task of a process, as soon as one exists, by long polls of 30 s. */
  waitForTask(options: WaitForTaskOptions): Promise<Task>;
};

const LONG_POLL_S = 30;

/** A client for one credential: an API key (`keel_…`) or an access token from `signIn`. */
export function createKeel(options: KeelOptions): Keel {
  const credential = options.apiKey ?? options.token;
  if (!credential) throw new TypeError("createKeel needs an apiKey or a token");
  const client = createClient<paths>({
    baseUrl: options.url,
    headers: { ...options.headers, Authorization: `Bearer ${credential}` },
    fetch: retryingFetch(options.fetch ?? ((request) => fetch(request)), options),
  });
  client.use(raiseErrors);

  const data = async <R extends { data?: unknown; response: Response }>(call: Promise<R>): Promise<Payload<R>> => {
    const result = await call;
    const envelope = result.data as { data?: unknown } | undefined;
    return (envelope && typeof envelope === "object" && "data" in envelope ? envelope.data : envelope) as Payload<R>;
  };

  async function* paginate<Item>(
    page: (cursor: string | undefined) => Promise<PageResult<Item>>,
  ): AsyncGenerator<Item, void, undefined> {
    let cursor: string | undefined;
    do {
      const envelope = (await page(cursor)).data;
      yield* envelope?.data ?? [];
      const next = (envelope?.meta as { next_cursor?: unknown } | undefined)?.next_cursor;
      cursor = typeof next === "string" && next ? next : undefined;
    } while (cursor);
  }

  /** Repeats `poll` (given the seconds it may wait) until it returns something or time runs out. */
  async function until<T>(
    what: string,
    options: WaitOptions,
    poll: (waitS: number) => Promise<T | undefined>,
  ): Promise<T> {
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    for (;;) {
      const left = (deadline - Date.now()) / 1000;
      // Whole seconds, at least 1 while time is left: no burst of zero-second polls before the deadline.
      const found = await poll(Math.max(0, Math.min(LONG_POLL_S, Math.ceil(left))));
      if (found !== undefined) return found;
      if (Date.now() >= deadline) throw new WaitTimeoutError(`${what} did not happen in ${options.timeoutMs} ms`);
    }
  }

  const waitForProcess = (processId: string, options: WaitOptions = {}): Promise<Process> =>
    until(`process ${processId} ending`, options, async (wait) => {
      const process = await data(
        client.GET("/api/v1/processes/{process_id}", {
          params: { path: { process_id: processId }, query: { wait } },
          ...(options.signal && { signal: options.signal }),
        }),
      );
      return process.status === "running" ? undefined : process;
    });

  const waitForTask = (options: WaitForTaskOptions): Promise<Task> =>
    until(`an open task of process ${options.processId}`, options, async (wait) => {
      const query = { process_id: options.processId, status: "open" as const, assignee: options.assignee, wait };
      const signal = options.signal && { signal: options.signal };
      const tasks = await data(client.GET("/api/v1/tasks", { params: { query }, ...signal }));
      return tasks[0];
    });

  return { ...client, client, data, paginate, waitForProcess, waitForTask };
}

export interface SignInOptions {
  url: string;
  /** The user's email. */
  username: string;
  password: string;
  /** The tenant's domain or id, where the email has accounts in several. */
  tenant?: string;
  fetch?: (request: Request) => Promise<Response>;
}

/** An access token for a user (OAuth2 password grant on `/api/v1/auth/token`), for `createKeel({token})`. */
export async function signIn(options: SignInOptions): Promise<string> {
  const client = createClient<paths>({ baseUrl: options.url, fetch: options.fetch ?? ((request) => fetch(request)) });
  client.use(raiseErrors);
  const { data } = await client.POST("/api/v1/auth/token", {
    body: {
      grant_type: "password",
      username: options.username,
      password: options.password,
      tenant: options.tenant ?? null,
    },
  });
  const token = data?.access_token;
  if (!token) throw new TypeError("the token endpoint answered without an access_token");
  return token;
}
