/**
 * A disk whose syncs the test holds back or fails: fsync-fault.c, built here and loaded into a
 * server process with LD_PRELOAD. It needs a C compiler (`cc`) and Linux.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tempFolder } from './fixtures.js';

const SOURCE = fileURLToPath(new URL('fsync-fault.c', import.meta.url));

/** For `describe(name, { skip })`: a reason to skip where the shim cannot be built or loaded. */
export const skipWithoutFsyncFaults: string | false =
  process.platform === 'linux' && spawnSync('cc', ['--version']).status === 0
    ? false
    : 'fsync fault tests skipped: they need Linux and a C compiler (cc) to build test/server/support/fsync-fault.c';

export interface FsyncFault {
  /** The environment that loads the shim into a process. */
  env: Record<string, string>;
  /** From now on each sync waits until `release()`. */
  hold(): void;
  /** Resolves once a sync is waiting. */
  held(): Promise<void>;
  release(): void;
  /** From now on each sync fails with EIO. */
  fail(): void;
  remove(): void;
}

export function buildFsyncFault(): FsyncFault {
  const folder = tempFolder('cohesion-fsync-fault-');
  const library = join(folder.path, 'fsync-fault.so');
  const built = spawnSync('cc', ['-shared', '-fPIC', '-O2', '-o', library, SOURCE, '-ldl'], { encoding: 'utf8' });
  if (built.status !== 0) throw new Error(`cc could not build ${SOURCE}: ${built.stderr}`);
  const holdFile = join(folder.path, 'hold');
  const failFile = join(folder.path, 'fail');
  return {
    env: { LD_PRELOAD: library, FSYNC_FAULT_HOLD: holdFile, FSYNC_FAULT_FAIL: failFile },
    hold: () => writeFileSync(holdFile, ''),
    async held() {
      while (!existsSync(`${holdFile}.held`)) await new Promise((resolve) => setTimeout(resolve, 5));
    },
    release: () => rmSync(holdFile, { force: true }),
    fail: () => writeFileSync(failFile, ''),
    remove: folder.remove,
  };
}
