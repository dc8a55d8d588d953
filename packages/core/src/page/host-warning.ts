/** The `code` of the process warning a page cache without `hosts` gives in production. */
export const NO_ALLOWED_HOSTS_WARNING = 'CACHETTE_NO_ALLOWED_HOSTS';

let warned = false;

/**
 * Without `hosts`, every valid `Host` gets pages of its own: a way to fill the cache with junk
 * hosts. Django refuses to run without `ALLOWED_HOSTS`; in production (`NODE_ENV=production`)
 * this says so once per process, as a process warning with a code.
 *
 * @example
 * ```ts
 * process.on('warning', (w) => { if ((w as { code?: string }).code === NO_ALLOWED_HOSTS_WARNING) alert(w.message) })
 * ```
 */
export function warnWithoutHosts(hosts: readonly string[] | undefined): void {
  if (hosts !== undefined || warned || process.env.NODE_ENV !== 'production') return;
  warned = true;
  process.emitWarning(
    "[cachette] a page cache without `hosts` keeps pages for any Host a client sends; give the hosts the site serves, e.g. { hosts: ['.example.com'] } (Django's ALLOWED_HOSTS)",
    { type: 'CachetteWarning', code: NO_ALLOWED_HOSTS_WARNING },
  );
}
