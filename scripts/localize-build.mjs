/**
 * `npm run localize:build`: lit-localize's build, which only warns when a language lacks a
 * translation; here a missing translation fails the build. Its messages go to stderr, so the
 * output of `npm start > file` stays plain text.
 */
import { spawnSync } from 'node:child_process';

const run = spawnSync('npx', ['lit-localize', 'build', '--config', 'widget/lit-localize.json'], { encoding: 'utf8' });
const output = `${run.stdout ?? ''}${run.stderr ?? ''}`;
process.stderr.write(output);
if (run.status !== 0) process.exit(run.status ?? 1);
if (/is missing/.test(output)) {
  console.error('localize:build: a translation is missing (see above); add it to widget/locales/*.xlf.');
  process.exit(1);
}
