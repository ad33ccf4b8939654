/**
 * `--profile FILE` for the benches: a V8 CPU profile of one phase only (the import, the purge),
 * not of the seeding and checks around it, written as FILE (open it in Chrome's DevTools or
 * summarise it with bench/http/profile.ts). Sampling every 200 µs.
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';

export async function profiled<T>(file: string | null, phase: () => Promise<T>): Promise<T> {
  if (!file) return phase();
  const inspector = new Session();
  inspector.connect();
  await inspector.post('Profiler.enable');
  await inspector.post('Profiler.setSamplingInterval', { interval: 200 });
  await inspector.post('Profiler.start');
  try {
    return await phase();
  } finally {
    const { profile } = await inspector.post('Profiler.stop');
    writeFileSync(file, JSON.stringify(profile));
    inspector.disconnect();
  }
}

/** The value after `--profile`, with the engine in the name when a bench runs on both. */
export function profileFile(args: readonly string[], engine: string): string | null {
  const i = args.indexOf('--profile');
  if (i < 0 || !args[i + 1]) return null;
  return args[i + 1]!.replace(/(\.cpuprofile)?$/, `-${engine}.cpuprofile`);
}
