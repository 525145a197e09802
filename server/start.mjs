/**
 * `npm start`: builds the widget and the server when a build is missing, then runs the built
 * server (dist/server/main.js).
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const root = new URL('../', import.meta.url);
const built = ['dist/server/main.js', 'dist/widget/cohesion-declaration.js'].every((file) => existsSync(new URL(file, root)));
if (!built) {
  console.log('No build yet: running `npm run build` first…');
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) process.exit(build.status ?? 1);
}
await import(new URL('dist/server/main.js', root).href);
