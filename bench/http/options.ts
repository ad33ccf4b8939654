/** Command-line options of the benches through the real server: `--name value` and bare flags. */
const argv = process.argv.slice(2);

/** Whether a bare flag (e.g. `--smoke`) was given. */
export const flag = (name: string): boolean => argv.includes(name);

/** The value after `name` (e.g. `--engine postgres`), if given. */
export const option = (name: string): string | undefined => {
  const i = argv.indexOf(name);
  return i >= 0 ? argv[i + 1] : undefined;
};
