// Rewrites `workspace:` dependency ranges in the given package.json files as `pnpm publish` does
// (workspace:^ → ^1.2.3, workspace:~ → ~1.2.3, workspace:* → 1.2.3), from the versions in those files.
import { readFileSync, writeFileSync } from 'node:fs';

const files = process.argv.slice(2);
const manifests = files.map((file) => ({ file, pkg: JSON.parse(readFileSync(file, 'utf8')) }));
const versions = new Map(manifests.map(({ pkg }) => [pkg.name, pkg.version]));
for (const { file, pkg } of manifests) {
  for (const field of ['dependencies', 'peerDependencies', 'optionalDependencies', 'devDependencies']) {
    for (const [name, range] of Object.entries(pkg[field] ?? {})) {
      if (!range.startsWith('workspace:')) continue;
      const version = versions.get(name);
      if (version === undefined) throw new Error(`${pkg.name}: ${name} is not one of the packed packages`);
      const spec = range.slice('workspace:'.length);
      pkg[field][name] = spec === '*' ? version : spec === '^' || spec === '~' ? `${spec}${version}` : spec;
    }
  }
  writeFileSync(file, `${JSON.stringify(pkg, null, 2)}\n`);
}
