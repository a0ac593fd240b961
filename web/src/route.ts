import { useEffect, useState } from 'react';

function readHash(): string[] {
  return window.location.hash.replace(/^#\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
}

/** Hash routes (#/locks/lock_x) need nothing from the server beyond index.html. */
export function useRoute(): string[] {
  const [parts, setParts] = useState(readHash);
  useEffect(() => {
    const on = () => setParts(readHash());
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return parts;
}

export const href = (...parts: string[]) => `#/${parts.map(encodeURIComponent).join('/')}`;
