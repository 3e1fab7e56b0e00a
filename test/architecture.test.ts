import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => join(e.parentPath, e.name));
}

const SDKS =
  /from ['"](@slack\/bolt|@slack\/web-api|@slack\/socket-mode|discord\.js|@discordjs\/[^'"]+|grammy|@grammyjs\/[^'"]+)['"]/;

describe('architecture', () => {
  it('keeps platform SDKs out of the engine, AI, store and HTTP layers', () => {
    const offenders = ['src/engine', 'src/ai', 'src/store', 'src/http']
      .flatMap(sources)
      .filter((file) => SDKS.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('reads process.env only in config/ and the entry points (src/main.ts, src/cli/)', () => {
    const offenders = ['src', 'bots']
      .flatMap(sources)
      .filter((file) => file !== join('src', 'main.ts') && !file.startsWith(join('src', 'cli')))
      .filter((file) => /process\.env\b/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });

  it('calls models only from src/ai', () => {
    const offenders = ['src/engine', 'src/store', 'src/http', 'bots']
      .flatMap(sources)
      .filter((file) => /from ['"]openai['"]/.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});
