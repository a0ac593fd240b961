import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodType, z } from 'zod';
import { KeywardError } from '../core/errors.js';
import type { Role } from '../store/index.js';
import { allows, type Principal } from './auth.js';
import type { ServerDeps } from './deps.js';

type Method = 'GET' | 'POST' | 'DELETE' | 'PATCH';

/**
 * One typed route: its input schemas (zod) validate requests and become the OpenAPI document, so
 * the two cannot drift apart.
 */
export interface RouteSpec<
  B extends ZodType = ZodType,
  Q extends ZodType = ZodType,
  P extends ZodType = ZodType,
  R extends ZodType = ZodType,
> {
  method: Method;
  /** Fastify syntax: /api/v1/locks/:id */
  url: string;
  tag: string;
  summary: string;
  /** The least role that may call it; "public" needs no token. */
  access: Role | 'public';
  body?: B;
  query?: Q;
  params?: P;
  /** The success status (200 unless said). */
  status?: number;
  /**
   * What the success body looks like: the OpenAPI document shows it, the web UI takes its type,
   * and the handler must return it (or a reply it sent itself, such as cached JSON text).
   */
  response?: R;
  handler: (input: RouteInput<B, Q, P>) => Promise<Answer<R>> | Answer<R>;
}

type Answer<R extends ZodType> = z.input<R> | FastifyReply;

export interface RouteInput<B extends ZodType, Q extends ZodType, P extends ZodType> {
  body: z.infer<B>;
  query: z.infer<Q>;
  params: z.infer<P>;
  principal: Principal | null;
  deps: ServerDeps;
  request: FastifyRequest;
  reply: FastifyReply;
}

export function route<
  B extends ZodType = ZodType,
  Q extends ZodType = ZodType,
  P extends ZodType = ZodType,
  R extends ZodType = ZodType,
>(spec: RouteSpec<B, Q, P, R>): RouteSpec {
  return spec as unknown as RouteSpec;
}

/** "body.lockIds[0]: expected string" — names the field, never echoes the value (it may be a code). */
export function describeIssues(where: string, error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => {
      const path = [where, ...i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`))]
        .join('')
        .replace(/\.\[/g, '[');
      return `${path}: ${i.message}`;
    })
    .join('; ');
}

function parse<T extends ZodType>(schema: T | undefined, value: unknown, where: string): z.infer<T> {
  if (!schema) return undefined as z.infer<T>;
  const r = schema.safeParse(value ?? (where === 'body' ? {} : value));
  if (!r.success) throw new KeywardError('BAD_INPUT', describeIssues(where, r.error));
  return r.data as z.infer<T>;
}

export function registerRoutes(app: FastifyInstance, specs: readonly RouteSpec[], deps: ServerDeps): void {
  for (const spec of specs) {
    app.route({
      method: spec.method,
      url: spec.url,
      handler: async (request, reply) => {
        let principal: Principal | null = null;
        if (spec.access !== 'public') {
          principal = await deps.auth.authenticate(request);
          if (!allows(principal.role, spec.access)) {
            throw new KeywardError(
              'FORBIDDEN',
              `a ${principal.role} token may not ${spec.summary.toLowerCase()}: it needs ${spec.access}`,
            );
          }
        }
        const input = {
          body: parse(spec.body, request.body, 'body'),
          query: parse(spec.query, request.query, 'query'),
          params: parse(spec.params, request.params, 'params'),
          principal,
          deps,
          request,
          reply,
        };
        const result = await spec.handler(input as RouteInput<ZodType, ZodType, ZodType>);
        if (spec.status) reply.status(spec.status);
        return result;
      },
    });
  }
}
