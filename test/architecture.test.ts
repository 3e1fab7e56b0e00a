import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

/** Every module a file imports (static, dynamic and re-exports), as written. */
function importsOf(file: string): string[] {
  const text = readFileSync(file, 'utf8');
  return [...text.matchAll(/(?:from|import)\s*\(?\s*['"]([^'"]+)['"]/g)].map((m) => m[1] as string);
}

/** The project files a file imports, as repository paths (e.g. `src/store/index.ts`). */
function projectImportsOf(file: string): string[] {
  return importsOf(file)
    .filter((spec) => spec.startsWith('.'))
    .map((spec) => relative('.', normalize(join(dirname(file), spec))));
}

/** Files under `dirs` that import a project file matching `forbidden`, with what they import. */
function offendersOf(dirs: string[], forbidden: (path: string) => boolean): string[] {
  return dirs.flatMap(sources).flatMap((file) =>
    projectImportsOf(file)
      .filter(forbidden)
      .map((target) => `${file} → ${target}`),
  );
}

const SDKS =
  /^(@slack\/bolt|@slack\/web-api|@slack\/socket-mode|discord\.js|@discordjs\/.+|grammy|@grammyjs\/.+)$/;
const under = (folder: string) => (path: string) => path.startsWith(`${folder}/`);

describe('architecture', () => {
  it('keeps platform SDKs out of the engine, AI, store, HTTP layers and the shared words', () => {
    const offenders = ['src/engine', 'src/ai', 'src/store', 'src/http', 'src/types']
      .flatMap(sources)
      .filter((file) => importsOf(file).some((spec) => SDKS.test(spec)));
    expect(offenders).toEqual([]);
  });

  it('keeps the shared words at the bottom: src/types imports nothing of the project', () => {
    expect(offendersOf(['src/types'], (p) => !under('src/types')(p))).toEqual([]);
  });

  it('keeps store and ai below the engine: they import neither engine, http nor bots', () => {
    const above = (path: string) =>
      ['src/engine', 'src/http', 'bots'].some((folder) => under(folder)(path)) ||
      path === 'src/main.ts';
    expect(offendersOf(['src/store', 'src/ai'], above)).toEqual([]);
  });

  it('keeps the engine off the channels and the web layer: it imports neither bots nor http', () => {
    expect(offendersOf(['src/engine'], (p) => under('bots')(p) || under('src/http')(p))).toEqual(
      [],
    );
  });

  it('lets bots reach the engine only through the shared words: no store, no Engine class', () => {
    // The shared words, the logger and the HTTP helpers (errors, server-sent events) are all
    // a channel may use.
    const allowed = (path: string) =>
      under('bots')(path) ||
      under('src/types')(path) ||
      path === 'src/log.ts' ||
      path === 'src/http/errors.ts' ||
      path === 'src/http/sse.ts';
    expect(offendersOf(['bots'], (p) => !allowed(p))).toEqual([]);
  });

  it('reads process.env only in config/ and the entry points (src/main.ts, src/cli/)', () => {
    const offenders = ['src', 'bots']
      .flatMap(sources)
      .filter((file) => file !== join('src', 'main.ts') && !file.startsWith(join('src', 'cli')))
      .filter((file) => /process\.env\b/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('calls models only from src/ai, whichever entry of the openai package is imported', () => {
    const offenders = ['src/engine', 'src/store', 'src/http', 'src/types', 'src/cli', 'bots']
      .flatMap(sources)
      .filter((file) => importsOf(file).some((spec) => /^openai(\/.*)?$/.test(spec)));
    expect(offenders).toEqual([]);
  });

  it('finds what it checks: the import reader sees the imports this file makes', () => {
    expect(importsOf('test/architecture.test.ts')).toEqual(
      expect.arrayContaining(['node:fs', 'node:path', 'vitest']),
    );
    expect(projectImportsOf('src/engine/conversation/engine.ts')).toEqual(
      expect.arrayContaining(['src/store/index.ts', 'src/types/index.ts']),
    );
    expect(offendersOf(['bots'], under('src/types')).length).toBeGreaterThan(0);
  });
});
