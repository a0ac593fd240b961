import { describe, expect, it } from 'vitest';
import { ReadCache } from '../src/server/read-cache.js';

describe('the read micro-cache', () => {
  it('reuses a value within its time, and loads again after it', async () => {
    let t = 0;
    let loads = 0;
    const cache = new ReadCache<number>(200, () => t);
    const load = async () => ++loads;
    expect(await cache.get('a', load)).toBe(1);
    t = 199;
    expect(await cache.get('a', load)).toBe(1);
    t = 200;
    expect(await cache.get('a', load)).toBe(2);
  });

  it('lets requests that arrive during a load share it', async () => {
    let loads = 0;
    const cache = new ReadCache<number>(200);
    const load = () => new Promise<number>((r) => setTimeout(() => r(++loads), 5));
    const all = await Promise.all([cache.get('a', load), cache.get('a', load), cache.get('a', load)]);
    expect(all).toEqual([1, 1, 1]);
  });

  it('never keeps a failed load, and forgets what is invalidated', async () => {
    const cache = new ReadCache<string>(10_000);
    await expect(cache.get('a', () => Promise.reject(new Error('gone')))).rejects.toThrow('gone');
    expect(await cache.get('a', async () => 'back')).toBe('back');
    cache.invalidate(['a']);
    expect(await cache.get('a', async () => 'fresh')).toBe('fresh');
  });

  it('reads every time when its time is zero', async () => {
    let loads = 0;
    const cache = new ReadCache<number>(0);
    await cache.get('a', async () => ++loads);
    await cache.get('a', async () => ++loads);
    expect(loads).toBe(2);
  });
});
