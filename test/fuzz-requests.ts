import { fromSchema, junk, junkText, Raw, type Rng, type Schema, toJson } from './fuzz-values.js';

/** One operation of the OpenAPI document, as the fuzz needs it. */
export interface Operation {
  method: string;
  path: string;
  role: string;
  params: { name: string; in: 'path' | 'query'; schema: Schema; required: boolean }[];
  body: Schema | undefined;
}

export function operationsOf(doc: {
  paths: Record<string, Record<string, Record<string, unknown>>>;
}): Operation[] {
  const ops: Operation[] = [];
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const rb = op.requestBody as { content: Record<string, { schema: Schema }> } | undefined;
      ops.push({
        method: method.toUpperCase(),
        path,
        role: String(op['x-role']),
        params: (op.parameters ?? []) as Operation['params'],
        body: rb?.content['application/json']?.schema,
      });
    }
  }
  return ops;
}

export type Caller = 'admin' | 'manager' | 'viewer' | 'none' | 'wrong';

export interface FuzzRequest {
  role: Caller;
  method: string;
  url: string;
  headers: Record<string, string>;
  payload: string | undefined;
}

/** Which record a parameter or field names, by its name and, for {id}, the path it is in. */
function kindOf(name: string, path: string): string | undefined {
  if (name === 'id') {
    if (path.startsWith('/api/v1/locks')) return 'lock';
    if (path.startsWith('/api/v1/credentials')) return 'credential';
    if (path.startsWith('/api/v1/people')) return 'person';
    if (path.startsWith('/api/v1/tokens')) return 'token';
    if (path.startsWith('/api/v1/models')) return 'model';
    return undefined;
  }
  const base = name.replace(/Ids?$/, '');
  return base === name ? undefined : base === 'subject' ? 'credential' : base;
}

const MODELS = ['264', '910', '916', '275', '888', 'nope'];

function realFor(r: Rng, pool: Map<string, string[]>, path: string) {
  return (name: string): string | undefined => {
    const kind = kindOf(name, path);
    if (kind === 'model') return r.pick(MODELS);
    const ids = kind ? pool.get(kind) : undefined;
    return ids?.length ? r.pick(ids) : undefined;
  };
}

/** Every object and array inside a value, with a way to replace or delete one of its members. */
function containers(value: unknown, out: (Record<string, unknown> | unknown[])[] = [], depth = 0) {
  if (depth > 8 || value === null || typeof value !== 'object' || value instanceof Raw) return out;
  out.push(value as Record<string, unknown>);
  for (const v of Object.values(value)) containers(v, out, depth + 1);
  return out;
}

function mutateBody(r: Rng, body: unknown, secrets: readonly string[]): unknown {
  const all = containers(body);
  const target = all.length ? r.pick(all) : null;
  switch (r.int(6)) {
    case 0:
      return junk(r, secrets);
    case 1:
    case 2: {
      if (!target) return junk(r, secrets);
      const keys = Object.keys(target);
      const key =
        keys.length && r.chance(0.8) ? r.pick(keys) : r.pick(['extra', 'role', 'reveal', 'isAdmin']);
      (target as Record<string, unknown>)[key] = junk(r, secrets);
      return body;
    }
    case 3: {
      if (!target) return body;
      const keys = Object.keys(target);
      if (keys.length) delete (target as Record<string, unknown>)[r.pick(keys)];
      return body;
    }
    case 4: {
      if (!target || Array.isArray(target)) return body;
      (target as Record<string, unknown>)[r.pick(['x', 'y'])] = junk(r, secrets, 1);
      return body;
    }
    default:
      return r.pick([
        new Raw('{"__proto__":{"role":"admin","reveal":true},"constructor":{"prototype":{"x":1}}}'),
        new Raw('{"name":"a","name":"b","kind":"guest","kind":"permanent"}'),
        body,
      ]);
  }
}

/** Turns a body into what goes on the wire; sometimes something that is not JSON at all. */
function wire(r: Rng, body: unknown, headers: Record<string, string>): string | undefined {
  const text = toJson(body);
  if (!r.chance(0.06)) {
    headers['content-type'] = 'application/json';
    return text;
  }
  switch (r.int(6)) {
    case 0:
      headers['content-type'] = 'application/json';
      return text.slice(0, Math.max(1, r.int(text.length)));
    case 1:
      headers['content-type'] = 'text/plain';
      return text;
    case 2:
      headers['content-type'] = 'application/x-www-form-urlencoded';
      return 'name=a&code=1234&__proto__[role]=admin';
    case 3:
      headers['content-type'] = 'application/json; charset=utf-16';
      return text;
    case 4:
      headers['content-type'] = 'application/json';
      return '';
    default:
      headers['content-type'] = 'application/json';
      return `\ufeff${text}`;
  }
}

/** One request: mostly valid in shape with one to three things wrong, some entirely valid. */
export function fuzzRequest(
  r: Rng,
  op: Operation,
  pool: Map<string, string[]>,
  secrets: readonly string[],
): FuzzRequest {
  const role: Caller = r.chance(0.05)
    ? r.pick(['none', 'wrong'] as const)
    : r.pick(['admin', 'manager', 'manager', 'viewer', 'viewer'] as const);
  const real = realFor(r, pool, op.path);
  const mutations = r.chance(0.25) ? 0 : 1 + r.int(3);
  let where = new Set<string>();
  for (let m = 0; m < mutations; m++) where.add(r.pick(['path', 'query', 'body', 'body', 'body']));
  if (!op.body && where.has('body') && r.chance(0.7)) where = new Set([...where].filter((w) => w !== 'body'));

  let path = op.path;
  const query: string[] = [];
  for (const p of op.params) {
    const value = fromSchema(r, p.schema, p.name, real, secrets);
    const text = typeof value === 'string' ? value : JSON.stringify(value);
    if (p.in === 'path') {
      const v = where.has('path') && r.chance(0.6) ? junkText(r, secrets) : encodeURIComponent(text);
      path = path.replace(`{${p.name}}`, v || '%20');
    } else if (p.required || r.chance(0.5)) {
      const v = where.has('query') && r.chance(0.6) ? junkText(r, secrets) : encodeURIComponent(text);
      query.push(`${p.name}=${v}`);
    }
  }
  if (where.has('query')) {
    query.push(
      r.pick([
        '__proto__[role]=admin',
        'constructor[prototype][x]=1',
        `${op.params.find((p) => p.in === 'query')?.name ?? 'x'}=1&${op.params.find((p) => p.in === 'query')?.name ?? 'x'}=2`,
        `x=${'y'.repeat(8000)}`,
        'reveal=true',
        '%=%',
      ]),
    );
  }
  const headers: Record<string, string> = {};
  let payload: string | undefined;
  if (op.body || where.has('body')) {
    let body = fromSchema(r, op.body, 'body', real, secrets);
    if (where.has('body')) body = mutateBody(r, body, secrets);
    payload = wire(r, body, headers);
  }
  const url = path + (query.length ? `?${query.join('&')}` : '');
  return { role, method: op.method, url, headers, payload };
}
