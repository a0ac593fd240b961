import { readFileSync } from 'node:fs';
import { UsageError } from './exit.js';

export interface Io {
  out(text: string): void;
  err(text: string): void;
  readStdin(): string;
  readFile(path: string): string;
  isTty: boolean;
  color: boolean;
}

export function processIo(): Io {
  const isTty = Boolean(process.stdout.isTTY);
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    readStdin: () => readFileSync(0, 'utf8'),
    readFile: (path) => {
      try {
        return readFileSync(path, 'utf8');
      } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        throw new UsageError(
          `cannot read ${path}: ${code === 'ENOENT' ? 'no such file' : (code ?? String(e))}`,
        );
      }
    },
    isTty,
    color: isTty && !process.env.NO_COLOR,
  };
}

/** Reads FILE, or standard input for "-". */
export function readSource(io: Io, path: string): string {
  return path === '-' ? io.readStdin() : io.readFile(path);
}

export function parseJson(text: string, where: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new UsageError(`${where} is not valid JSON: ${(e as Error).message}`);
  }
}

export function writeJson(io: Io, value: unknown): void {
  io.out(`${JSON.stringify(value, null, 2)}\n`);
}

const CODES: Record<string, string> = {
  red: '31',
  green: '32',
  yellow: '33',
  bold: '1',
  dim: '2',
  cyan: '36',
};

export function paint(io: Io, style: keyof typeof CODES, text: string): string {
  return io.color ? `\x1b[${CODES[style]}m${text}\x1b[0m` : text;
}
