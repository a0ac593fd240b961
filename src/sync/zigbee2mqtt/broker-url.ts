/**
 * MQTT broker addresses: the one rule for them, and how they are shown. Apart from the client so
 * that the CLI can name a broker without loading the MQTT package.
 */

/** The one rule for a broker address: mqtt or mqtts, a host, nothing else. */
export function brokerUrlProblem(url: string): string | undefined {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return 'is not a URL (for example mqtt://127.0.0.1:1883)';
  }
  if (u.protocol !== 'mqtt:' && u.protocol !== 'mqtts:') return 'must start with mqtt:// or mqtts://';
  if (!u.hostname) return 'has no host';
  return undefined;
}

/** The address without its user and password: what logs, errors and answers may show. */
export function redactBrokerUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString().replace(/\/$/, '');
  } catch {
    return '(an unreadable broker address)';
  }
}

/** Credentials from the environment, for a broker address that carries none. */
export function brokerCredentialsFromEnv(env: NodeJS.ProcessEnv): { username?: string; password?: string } {
  return {
    ...(env.KEYWARD_MQTT_USERNAME ? { username: env.KEYWARD_MQTT_USERNAME } : {}),
    ...(env.KEYWARD_MQTT_PASSWORD ? { password: env.KEYWARD_MQTT_PASSWORD } : {}),
  };
}
