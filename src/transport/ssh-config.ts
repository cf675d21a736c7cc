/**
 * ~/.ssh/config lookups (Host, HostName, User, Port, IdentityFile, ProxyJump), parsed once
 * by the caller and handed to the pure compiler as a function.
 */
import SSHConfig from 'ssh-config';

export interface SshConfigEntry {
  hostName?: string;
  user?: string;
  port?: number;
  identityFile?: string;
  proxyJump?: string;
}

export type SshConfigLookup = (host: string) => SshConfigEntry;

export const noSshConfig: SshConfigLookup = () => ({});

export function parseSshConfig(text: string): SshConfigLookup {
  const config = SSHConfig.parse(text);
  return (host) => {
    const c = config.compute(host, { ignoreCase: true }) as Record<string, string | string[] | undefined>;
    const first = (v: string | string[] | undefined) => (Array.isArray(v) ? v[0] : v);
    const pick = (k: string) => first(c[k] ?? c[k.toLowerCase()]);
    const port = pick('Port');
    const jump = pick('ProxyJump');
    return {
      hostName: pick('HostName'),
      user: pick('User'),
      port: port ? Number(port) : undefined,
      identityFile: pick('IdentityFile'),
      proxyJump: jump && jump.toLowerCase() !== 'none' ? jump : undefined,
    };
  };
}

/** "[user@]host[:port]" as ProxyJump writes one hop. */
export function parseHop(hop: string): { user?: string; host: string; port?: number } {
  const m = /^(?:([^@]+)@)?(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(hop.trim());
  if (!m) return { host: hop.trim() };
  return { user: m[1], host: m[2]!.replace(/^\[|\]$/g, ''), port: m[3] ? Number(m[3]) : undefined };
}
