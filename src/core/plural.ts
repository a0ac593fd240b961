/** "1 code", "3 codes": a count in a host's words, never "code(s)". */
export function count(n: number, one: string, many = `${one}s`): string {
  return `${n} ${n === 1 ? one : many}`;
}
