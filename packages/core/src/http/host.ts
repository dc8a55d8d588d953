// Django's host_validation_re: a DNS-ish name, IPv4, or [IPv6], then an optional port.
const HOST = /^([a-z0-9.-]+|\[[a-f0-9]*:[a-f0-9.:]+\])(?::([0-9]{1,5}))?$/;
// A DNS name is at most 253 characters (RFC 1035 §2.3.4), 255 with a trailing dot and slack.
const MAX_HOST_LENGTH = 255 + ':65535'.length;

/** A `Host` split into its lower-cased name (trailing dot removed) and port. */
export interface HostPort {
  /** `example.com`, `10.0.0.1` or `[::1]` (IPv6 keeps its brackets). */
  hostname: string;
  port: number | undefined;
}

/**
 * Splits and normalises a `Host` value; `undefined` when it is not valid host syntax
 * (see {@link isValidHost}).
 *
 * @example
 * splitHostPort('Example.COM.:8080') // { hostname: 'example.com', port: 8080 }
 */
export function splitHostPort(host: string): HostPort | undefined {
  if (host.length > MAX_HOST_LENGTH) return undefined;
  const match = HOST.exec(host.toLowerCase());
  const name = match?.[1];
  if (match === null || name === undefined) return undefined;
  const port = match[2] === undefined ? undefined : Number(match[2]);
  if (port !== undefined && port > 65535) return undefined;
  const hostname = name.endsWith('.') ? name.slice(0, -1) : name;
  return hostname === '' ? undefined : { hostname, port };
}

/**
 * Whether `host` is syntactically a hostname, IPv4 or `[IPv6]` address with an optional
 * port, as Django validates `Host` (no spaces, `@`, `/`, `_`, control characters, empty).
 *
 * @example
 * isValidHost('example.com:8000') // true
 */
export function isValidHost(host: string): boolean {
  return splitHostPort(host) !== undefined;
}

/**
 * Django's `ALLOWED_HOSTS` check: `*` allows any valid host, `.example.com` allows
 * example.com and its subdomains, anything else must match exactly. Case-insensitive;
 * the port and a trailing dot are ignored. An invalid `host` never matches; a pattern
 * with a port never matches.
 *
 * @example
 * matchesAllowedHost('API.example.com:443', ['.example.com']) // true
 */
export function matchesAllowedHost(host: string, allowed: readonly string[]): boolean {
  const hostname = splitHostPort(host)?.hostname;
  if (hostname === undefined) return false;
  return allowed.some((entry) => {
    if (entry === '*') return true;
    const pattern = entry.toLowerCase().replace(/\.$/, '');
    if (pattern === '') return false;
    if (pattern.startsWith('.')) return hostname === pattern.slice(1) || hostname.endsWith(pattern);
    return hostname === pattern;
  });
}
