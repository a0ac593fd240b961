import { type ZodType, z } from 'zod';
import type { RouteSpec } from './route.js';

type Json = Record<string, unknown>;

function schemaOf(t: ZodType): Json {
  const s = z.toJSONSchema(t, { unrepresentable: 'any', io: 'input' }) as Json;
  delete s.$schema;
  return s;
}

const ERROR_SCHEMA = {
  type: 'object',
  required: ['error'],
  properties: {
    error: {
      type: 'object',
      required: ['code', 'message'],
      properties: {
        code: { type: 'string', description: 'a stable code listed in docs/errors.md' },
        message: { type: 'string' },
        details: { type: 'object' },
      },
    },
  },
};

function parametersOf(schema: ZodType | undefined, where: 'path' | 'query'): Json[] {
  if (!schema) return [];
  const s = schemaOf(schema);
  const props = (s.properties ?? {}) as Record<string, Json>;
  const required = new Set((s.required as string[] | undefined) ?? []);
  return Object.entries(props).map(([name, p]) => ({
    name,
    in: where,
    required: where === 'path' || required.has(name),
    schema: p,
    ...(typeof p.description === 'string' ? { description: p.description } : {}),
  }));
}

/** OpenAPI 3.1 (whose schemas are JSON Schema 2020-12, what zod emits) built from the route table. */
export function openApiDocument(specs: readonly RouteSpec[], version: string): Json {
  const paths: Record<string, Record<string, Json>> = {};
  for (const spec of specs) {
    const path = spec.url.replace(/:([A-Za-z]+)/g, '{$1}');
    const status = String(spec.status ?? 200);
    const op: Json = {
      tags: [spec.tag],
      summary: spec.summary,
      operationId: `${spec.method.toLowerCase()}${path.replace(/[^A-Za-z0-9]+(.)?/g, (_m, c: string | undefined) => (c ? c.toUpperCase() : ''))}`,
      'x-role': spec.access,
      parameters: [...parametersOf(spec.params, 'path'), ...parametersOf(spec.query, 'query')],
      responses: {
        [status]: {
          description: 'success',
          ...(spec.response ? { content: { 'application/json': { schema: schemaOf(spec.response) } } } : {}),
        },
        '4XX': {
          description: 'bad input, unknown record, missing token or role',
          content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
        },
      },
    };
    if (spec.access !== 'public') op.security = [{ bearer: [] }];
    if (spec.body) {
      op.requestBody = { required: true, content: { 'application/json': { schema: schemaOf(spec.body) } } };
    }
    paths[path] ??= {};
    paths[path][spec.method.toLowerCase()] = op;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Keyward API',
      version,
      description:
        'Codes on Kwikset SmartCode locks. Every route but /healthz and this document needs "Authorization: Bearer <token>"; x-role names the least role (viewer < manager < admin). Codes are never returned unless asked for with ?reveal=true.',
    },
    components: {
      securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } },
      schemas: { Error: ERROR_SCHEMA },
    },
    paths,
  };
}
