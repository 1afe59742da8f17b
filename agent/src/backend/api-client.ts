import { z } from 'zod';
import {
  BackupRecordSchema,
  PresignedGetSchema,
  PresignedPutSchema,
  RestorePointSchema,
  UploadAnswerSchema,
  type BackupCommit,
  type BackupFailure,
  type BackupKind,
  type BackupRecord,
  type PresignedGet,
  type PresignedPut,
  type RestorePoint,
  type SlotClass,
  type UploadAnswer,
  type UploadIntent,
} from '../../../shared/schemas/backup';
import { ErrorBodySchema } from '../../../shared/schemas/common';
import { exchange, isTransient, proxyAwareFetch, retryAfterMs, TransientHttpError, type Fetch } from './http';
import { DEFAULT_RETRY, withRetries, type RetryHooks, type RetryPolicy } from './retry';

/** The API refused a request; `code`, `message` and `details` are its `{error, message, details}` body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details: ReadonlyArray<{ path: string; message: string }>,
  ) {
    super(message);
  }
}

/** The key is unknown, revoked or replaced (401), or may not do this (403). */
export class AgentKeyRejectedError extends ApiError {}

export interface ApiClientOptions {
  /** e.g. https://api.vigie.example.fr or http://127.0.0.1:3000 */
  baseUrl: string;
  apiKey: string;
  fetch?: Fetch;
  retry?: RetryPolicy;
  hooks?: RetryHooks;
}

export const WhoAmISchema = z.object({ agentId: z.string(), clientId: z.string(), host: z.string() });
export type WhoAmI = z.infer<typeof WhoAmISchema>;

const PackDownloadsSchema = z.object({ items: z.array(PresignedGetSchema), missing: z.array(z.string()) });
const RepositoryPageSchema = z.object({ items: z.array(PresignedGetSchema), after: z.string().optional() });

/**
 * The control plane as the agent sees it: each call is one route, retried on 429, 5xx and dropped connections;
 * answers are parsed with the same zod schemas the server writes them with.
 */
export class VigieApi {
  private readonly fetch: Fetch;
  private readonly base: string;

  constructor(private readonly options: ApiClientOptions) {
    this.fetch = options.fetch ?? proxyAwareFetch;
    this.base = options.baseUrl.replace(/\/+$/, '');
  }

  whoAmI(): Promise<WhoAmI> {
    return this.call('GET', '/v1/agent', undefined, WhoAmISchema);
  }

  startBackup(me: WhoAmI, kind: BackupKind, paths: string[]): Promise<BackupRecord> {
    return this.call('POST', `${hostPath(me)}/backups`, { kind, paths }, BackupRecordSchema);
  }

  requestUploads(me: WhoAmI, sessionId: string, objects: UploadIntent[]): Promise<UploadAnswer> {
    return this.call('POST', `${hostPath(me)}/backups/${sessionId}/uploads`, { objects }, UploadAnswerSchema);
  }

  commit(me: WhoAmI, sessionId: string, body: BackupCommit): Promise<BackupRecord> {
    return this.call('POST', `${hostPath(me)}/backups/${sessionId}/commit`, body, BackupRecordSchema);
  }

  fail(me: WhoAmI, sessionId: string, body: BackupFailure): Promise<BackupRecord> {
    return this.call('POST', `${hostPath(me)}/backups/${sessionId}/fail`, body, BackupRecordSchema);
  }

  async restorePoints(me: WhoAmI, host = me.host): Promise<RestorePoint[]> {
    return (await this.call('GET', `/v1/clients/${me.clientId}/hosts/${encodeURIComponent(host)}/restore-points`, undefined, z.object({ items: z.array(RestorePointSchema) }))).items;
  }

  restorePointUrl(me: WhoAmI, slotClass: SlotClass, versionId: string, host = me.host): Promise<PresignedGet> {
    return this.call('GET', `/v1/clients/${me.clientId}/hosts/${encodeURIComponent(host)}/restore-points/${slotClass}?versionId=${encodeURIComponent(versionId)}`, undefined, PresignedGetSchema);
  }

  /** Every object of one kind in the client's repository, page after page, each with a presigned GET. */
  async *repository(me: WhoAmI, kind: 'packs' | 'indexes' | 'keys'): AsyncGenerator<PresignedGet> {
    let after: string | undefined;
    do {
      const page = await this.call('GET', `/v1/clients/${me.clientId}/repository/${kind}?limit=1000${after ? `&after=${after}` : ''}`, undefined, RepositoryPageSchema);
      yield* page.items;
      after = page.after;
    } while (after !== undefined);
  }

  packDownloads(me: WhoAmI, packIds: string[]): Promise<{ items: PresignedGet[]; missing: string[] }> {
    return this.call('POST', `/v1/clients/${me.clientId}/repository/packs/download`, { packIds }, PackDownloadsSchema);
  }

  keyUpload(me: WhoAmI, key: { id: string; size: number }): Promise<PresignedPut> {
    return this.call('POST', `/v1/clients/${me.clientId}/repository/keys`, key, PresignedPutSchema);
  }

  private call<S extends z.ZodType>(method: string, path: string, body: unknown, schema: S): Promise<z.output<S>> {
    return withRetries(
      async () => {
        const response = await exchange(this.fetch, `${this.base}${path}`, {
          method,
          headers: { authorization: `Bearer ${this.options.apiKey}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
        });
        const text = await response.text();
        if (response.status === 429 || response.status >= 500) {
          throw new TransientHttpError(`${method} ${path}: ${response.status} ${text.slice(0, 200)}`, response.status, retryAfterMs(response.headers.get('retry-after')));
        }
        const parsed: unknown = text ? JSON.parse(text) : undefined;
        if (!response.ok) throw apiError(response.status, parsed);
        return schema.parse(parsed);
      },
      isTransient,
      this.options.retry ?? DEFAULT_RETRY,
      this.options.hooks,
    );
  }
}

const hostPath = (me: WhoAmI) => `/v1/clients/${me.clientId}/hosts/${encodeURIComponent(me.host)}`;

function apiError(status: number, body: unknown): ApiError {
  const parsed = ErrorBodySchema.safeParse(body);
  if (parsed.success) {
    const Type = status === 401 || status === 403 ? AgentKeyRejectedError : ApiError;
    return new Type(status, parsed.data.error, parsed.data.message, parsed.data.details);
  }
  // The gateway's own answers ({"message": "Unauthorized"}) carry no error code.
  const message = (body as { message?: unknown } | undefined)?.message;
  const text = typeof message === 'string' ? message : `HTTP ${status}`;
  if (status === 401) return new AgentKeyRejectedError(401, 'Unauthorized', 'the agent key was refused (unknown, revoked or replaced): check VIGIE_AGENT_KEY', []);
  if (status === 403) return new AgentKeyRejectedError(403, 'Forbidden', `the agent key may not do this (${text})`, []);
  return new ApiError(status, 'HttpError', text, []);
}
