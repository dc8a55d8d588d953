/** The text of `cachette help`. */
export const HELP = `cachette — inspect and invalidate a cachette cache in Redis

usage: cachette <command> [flags]

commands
  stats                     keys per namespace and version, bus listeners, Redis counters
  get <key>                 the entry under <key>, as the application reads it (state, times, tags)
  purge --tag <t> --url <u> drop entries by tag and pages by URL in every tier and process (repeatable)
  clear --namespace <name>  drop every entry of a namespace in every tier and process
  bump-version              retire every entry of <namespace>@<version> at once, without a SCAN
  help                      this text

where Redis is (one of)
  --redis redis://[user:pass@]host:port[/db]   one server (rediss:// for TLS)
  --cluster host:port,host:port                Redis Cluster root nodes
  --sentinel name@host:port,host:port          the master <name> of a Sentinel set

flags
  -n, --namespace <name>    the cache's namespace; child namespaces as shop/users (default cachette)
  --version <n>             the cache's version (default 1)
  --channel <name>          the bus channel (default cachette:bus)
  --key-prefix <p>          purge --url: the route's keyPrefix (default none)
  --timeout <duration>      bound on connecting and on each Redis call (default 5s)
  --force                   act even when the namespace has no keys in Redis
  --json                    one JSON object on stdout, for success and for errors

exit codes
  0 ok · 1 usage (bad flag, URL or argument) · 2 not found (key or namespace) · 3 Redis unreachable
  4 connection form not supported by the installed @cachette/redis · 5 Redis error or partial failure
`;
