#!/usr/bin/env node
/**
 * The npm registry this project installs from does not carry every platform build of native
 * packages (e.g. @node-rs/jieba-darwin-x64, some @rollup/rollup-* builds), so `npm install`
 * leaves those optional dependencies out of package-lock.json and `npm ci` then refuses the
 * lock as "out of sync". This adds a lock entry for each missing platform package, with the
 * os/cpu/libc it is for, so `npm ci` sees the tree complete and skips them as foreign
 * platforms, exactly as it skips the ones the registry does have.
 *
 * Run after every `npm install`: `node scripts/complete-lock.mjs`. It never touches entries
 * for this machine's platform (linux-x64-gnu): a missing one of those is a real error.
 * `--check` changes nothing and exits 1 when entries are missing (npm test runs it).
 */
import { readFileSync, writeFileSync } from 'node:fs';

const OS = ['android', 'darwin', 'freebsd', 'linux', 'win32', 'openharmony', 'netbsd', 'openbsd', 'sunos', 'aix', 'wasm32'];
const CPU = { arm: 'arm', 'arm-eabi': 'arm', arm64: 'arm64', x64: 'x64', ia32: 'ia32', loong64: 'loong64', ppc64: 'ppc64', riscv64: 'riscv64', s390x: 's390x', mips64el: 'mips64el', universal: null };

function platformOf(name) {
  const base = name.split('/').pop();
  const parts = base.split('-');
  const osIdx = parts.findIndex((p) => OS.includes(p));
  if (osIdx < 0) return null;
  const os = parts[osIdx];
  const rest = parts.slice(osIdx + 1);
  const cpuToken = rest[0];
  if (!cpuToken || !(cpuToken in CPU)) return null;
  const cpu = CPU[cpuToken];
  const tail = rest.slice(1).join('-');
  const libc = /musl/.test(tail) ? 'musl' : /gnu/.test(tail) && os === 'linux' ? 'glibc' : null;
  return { os, cpu, libc };
}

const path = new URL('../package-lock.json', import.meta.url);
const lock = JSON.parse(readFileSync(path, 'utf8'));
const pkgs = lock.packages;
let added = 0;
for (const [key, entry] of Object.entries(pkgs)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const here = `${key ? `${key}/` : ''}node_modules/${dep}`;
    if (pkgs[here] || pkgs[`node_modules/${dep}`]) continue;
    const p = platformOf(dep);
    if (!p) {
      console.error(`complete-lock: cannot tell the platform of missing optional ${dep}; leaving it`);
      continue;
    }
    if (p.os === process.platform && p.cpu === process.arch && p.libc !== 'musl') {
      console.error(`complete-lock: ${dep} is for this platform and missing: run npm install again`);
      process.exitCode = 1;
      continue;
    }
    pkgs[`node_modules/${dep}`] = {
      version: String(spec).replace(/^[\^~=]/, ''),
      ...(p.cpu ? { cpu: [p.cpu] } : {}),
      ...(entry.dev ? { dev: true } : {}),
      ...(p.libc ? { libc: [p.libc] } : {}),
      optional: true,
      os: [p.os],
    };
    added += 1;
  }
}
if (process.argv.includes('--check')) {
  if (added) {
    console.error(`complete-lock: package-lock.json lacks ${added} foreign-platform entries, so \`npm ci\` would refuse it: run \`node scripts/complete-lock.mjs\``);
    process.exitCode = 1;
  }
} else {
  writeFileSync(path, `${JSON.stringify(lock, null, 2)}\n`);
  console.log(`complete-lock: ${added} foreign-platform entries added`);
}
