/**
 * Splits markdown into parts of at most `limit` characters without breaking its structure.
 * Platform-neutral: Discord sends the parts as they are, Telegram renders each part to HTML.
 *
 * A block (paragraph, list, code block) that fits in the current part joins it, and one that
 * fits in a part of its own starts the next part. Only a block longer than a part is split:
 * between lines (so a list item stays whole), and a line longer than a part between words
 * where no inline span (`code`, `**bold**`, `~~strike~~`, a link) is open. A code block split
 * across parts is closed at the end of one and reopened, with its language, in the next.
 */
export function splitMarkdown(text: string, limit: number): string[] {
  const packer = new Packer(limit);
  for (const block of blocks(text)) {
    if (packer.fits(block.text, '\n\n') || block.text.length <= limit) {
      packer.add(block.text, '\n\n');
    } else if (block.fence) {
      addCodeBlock(packer, block);
    } else {
      for (const [i, line] of block.text.split('\n').entries()) {
        for (const [j, piece] of splitLine(line, limit).entries()) {
          packer.add(piece, j > 0 ? ' ' : i > 0 ? '\n' : '\n\n');
        }
      }
    }
  }
  return packer.finish();
}

/** Fills parts unit by unit; a part that ends inside a code block gets the fence closed. */
class Packer {
  readonly limit: number;
  readonly #parts: string[] = [];
  #current = '';
  /** The opening fence line while the current part is inside a code block. */
  fence: { open: string; close: string } | undefined;

  constructor(limit: number) {
    this.limit = limit;
  }

  fits(unit: string, separator: string): boolean {
    const closing = this.fence ? this.fence.close.length + 1 : 0;
    const joined = this.#current ? this.#current.length + separator.length : 0;
    return joined + unit.length + closing <= this.limit;
  }

  add(unit: string, separator: string): void {
    if (!this.fits(unit, separator) && this.#current) {
      this.#flush();
      this.#current = this.fence ? `${this.fence.open}\n${unit}` : unit;
      return;
    }
    this.#current = this.#current ? `${this.#current}${separator}${unit}` : unit;
  }

  finish(): string[] {
    this.fence = undefined;
    this.#flush();
    return this.#parts;
  }

  #flush(): void {
    const part = this.fence ? `${this.#current}\n${this.fence.close}` : this.#current;
    if (part.trim()) this.#parts.push(part.trim());
    this.#current = '';
  }
}

function addCodeBlock(packer: Packer, block: Block): void {
  const lines = block.text.split('\n');
  const open = lines[0] ?? '```';
  const close = FENCE.exec(open)?.[1] ?? '```';
  // A code line must fit in a fresh part between the reopened fence and the closing one.
  const room = Math.max(1, packer.limit - open.length - close.length - 2);
  packer.add(open, '\n\n');
  packer.fence = { open, close };
  for (const line of lines.slice(1, -1)) {
    for (const piece of hardCut(line, room)) packer.add(piece, '\n');
  }
  packer.fence = undefined;
  packer.add(close, '\n');
}

interface Block {
  text: string;
  /** True for a fenced code block (its first line opens the fence, its last closes it). */
  fence: boolean;
}

const FENCE = /^\s*(`{3,}|~{3,})(.*)$/;
const CLOSING = /^\s*(`{3,}|~{3,})\s*$/;

/** Paragraphs and lists split at blank lines; a fenced code block is one block. */
function blocks(text: string): Block[] {
  const result: Block[] = [];
  let lines: string[] = [];
  const close = (): void => {
    if (lines.length > 0) result.push({ text: lines.join('\n'), fence: false });
    lines = [];
  };
  const all = text.replace(/\r\n?/g, '\n').split('\n');
  for (let i = 0; i < all.length; i++) {
    const line = all[i] ?? '';
    const marker = FENCE.exec(line)?.[1];
    if (marker) {
      close();
      const body = [line];
      for (i++; i < all.length; i++) {
        const next = all[i] ?? '';
        const closing = CLOSING.exec(next)?.[1];
        if (closing && closing[0] === marker[0] && closing.length >= marker.length) break;
        body.push(next);
      }
      // An unclosed fence runs to the end, as markdown renders it; close it for the reader.
      result.push({ text: [...body, marker].join('\n'), fence: true });
    } else if (!line.trim()) {
      close();
    } else {
      lines.push(line);
    }
  }
  close();
  return result;
}

/** Breaks one long line at spaces where no inline span is open; hard cuts as a last resort. */
function splitLine(line: string, limit: number): string[] {
  const pieces: string[] = [];
  let rest = line;
  while (rest.length > limit) {
    const window = rest.slice(0, limit + 1);
    let cut = -1;
    let fallback = -1;
    for (let i = window.lastIndexOf(' '); i > 0; i = window.lastIndexOf(' ', i - 1)) {
      if (fallback === -1) fallback = i;
      if (spansClosed(rest.slice(0, i))) {
        cut = i;
        break;
      }
    }
    if (cut === -1) cut = fallback;
    if (cut <= 0) cut = limit;
    pieces.push(rest.slice(0, cut).trimEnd());
    rest = rest.slice(cut).trimStart();
  }
  pieces.push(rest);
  return pieces;
}

function spansClosed(prefix: string): boolean {
  const withoutCode = prefix.replace(/`[^`]*`/g, '');
  if (withoutCode.includes('`')) return false;
  const count = (marker: string) => withoutCode.split(marker).length - 1;
  if (count('**') % 2 !== 0 || count('~~') % 2 !== 0) return false;
  const links = withoutCode.replace(/\[[^\]]*\]\([^)]*\)/g, '');
  return !/\[[^\]]*$/.test(links) && !/\]\([^)]*$/.test(links);
}

function hardCut(text: string, size: number): string[] {
  if (text.length <= size) return [text];
  const pieces: string[] = [];
  for (let i = 0; i < text.length; i += size) pieces.push(text.slice(i, i + size));
  return pieces;
}
