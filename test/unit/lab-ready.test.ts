/**
 * Without docker or without the lab image, integration tests fail with that reason (their
 * beforeAll throws it, and npm test counts the file as failed) instead of a generic error.
 * Each case runs in a child node whose environment lacks the thing.
 */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { prerequisite } from '../helpers/prerequisite.js';

const HOSTS = fileURLToPath(new URL('../lab/hosts.js', import.meta.url));

function labReadyWith(env: NodeJS.ProcessEnv): string {
  const r = spawnSync(
    process.execPath,
    [
      '--input-type=module',
      '-e',
      `import { labReady } from ${JSON.stringify(HOSTS)}; await labReady().then(() => console.log('ready'), (e) => console.log(e.message));`,
    ],
    {
      env,
      encoding: 'utf8',
      timeout: 60_000,
    },
  );
  return r.stdout.trim() + r.stderr;
}

describe('lab prerequisites', () => {
  it('no docker client on PATH: "docker is not reachable" and how to get it', () => {
    const bin = mkdtempSync(join(tmpdir(), 'vprov-nodocker-'));
    symlinkSync(process.execPath, join(bin, 'node'));
    expect(labReadyWith({ PATH: bin, HOME: process.env.HOME })).toMatch(
      /^docker is not reachable \(.*ENOENT.*\): the lab needs dockerd; test\/lab\/build\.sh installs and starts it$/,
    );
  });

  it('no daemon behind DOCKER_HOST: "docker is not reachable"', () => {
    const socket = join(mkdtempSync(join(tmpdir(), 'vprov-nodockerd-')), 'docker.sock');
    expect(labReadyWith({ ...process.env, DOCKER_HOST: `unix://${socket}` })).toMatch(/^docker is not reachable \(.+\): the lab needs dockerd/);
  });

  const dockerUp = spawnSync('docker', ['info'], { stdio: 'ignore' }).status === 0;
  it.skipIf(!prerequisite('docker', dockerUp, 'test/lab/build.sh installs and starts dockerd'))('no lab image: names the image and the build script', () => {
    expect(labReadyWith({ ...process.env, VPROV_LAB_IMAGE: 'vprov-lab:no-such-tag' })).toMatch(
      /^lab image vprov-lab:no-such-tag is missing \(.+\): build it with test\/lab\/build\.sh \(npm run lab\)$/,
    );
  });
});
