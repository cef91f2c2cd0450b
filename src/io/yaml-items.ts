// A fast reader for one item of `kubectl get ... -o yaml` (sigs.k8s.io/yaml, go-yaml v2's layout):
// block mappings and sequences (`- ` at the key's column), plain, single- and double-quoted scalars on
// one line, plain scalars folded over several lines, `|`/`|-`/`|+` literal block scalars, `{}` and `[]`.
// The `yaml` package reads about 1 MB/s here (a 170 MB dump takes minutes); this reads the subset
// kubectl prints at JSON.parse-like speed. Anything outside the subset (flow collections, anchors,
// aliases, tags, comments, tabs, quoted keys, escapes JSON lacks, keys that are not plain strings,
// duplicate keys...) makes it give up (returns BAIL) and the caller hands the item to `yaml`, so the
// values it returns are the ones `yaml`'s toJS gives for the same text (test/unit/yaml-items.test.ts).

/** Returned when the text is outside the subset: parse it with `yaml` instead. */
export const BAIL: unique symbol = Symbol('bail');

// The YAML 1.2 core schema as `yaml` resolves plain scalars (yaml/dist/schema/core).
const NULL_RE = /^(?:~|[Nn]ull|NULL)?$/;
const BOOL_RE = /^(?:[Tt]rue|TRUE|[Ff]alse|FALSE)$/;
const OCT_RE = /^0o[0-7]+$/;
const INT_RE = /^[-+]?[0-9]+$/;
const HEX_RE = /^0x[0-9a-fA-F]+$/;
const NAN_RE = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const EXP_RE = /^[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)[eE][-+]?[0-9]+$/;
const FLOAT_RE = /^[-+]?(?:\.[0-9]+|[0-9]+\.[0-9]*)$/;

function resolvePlain(s: string): unknown {
  const c = s.charCodeAt(0);
  // Most scalars start with a letter that no tag but null and bool can match.
  if (NULL_RE.test(s)) return null;
  if (BOOL_RE.test(s)) return s[0] === 't' || s[0] === 'T';
  if (!((c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2d || c === 0x2e)) return s;
  if (OCT_RE.test(s)) return parseInt(s.substring(2), 8);
  if (INT_RE.test(s)) return parseInt(s, 10);
  if (HEX_RE.test(s)) return parseInt(s.substring(2), 16);
  if (NAN_RE.test(s)) return s.slice(-3).toLowerCase() === 'nan' ? NaN : s[0] === '-' ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  if (EXP_RE.test(s) || FLOAT_RE.test(s)) return parseFloat(s);
  return s;
}

/** A plain key that `yaml` turns into the same string (not null, a boolean, a number, or a merge key). */
function plainStringKey(k: string): boolean {
  if (k === '' || k === '<<' || k === '__proto__' || k.endsWith(' ') || k.includes(' #') || k.includes('\t')) return false;
  if (!plainStart(k)) return false;
  return typeof resolvePlain(k) === 'string';
}

/** Characters a plain scalar cannot start with (c-indicator), except `-` followed by a non-space. */
function plainStart(s: string): boolean {
  const c = s[0]!;
  if ('?:,[]{}#&*!|>\'"%@`'.includes(c)) return false;
  if (c === '-') return s.length > 1 && s[1] !== ' ';
  return c !== ' ';
}

/** Spaces trimmed off both ends: only spaces (JavaScript's trim() also takes U+2028, U+FEFF, which YAML keeps). */
function spaceTrim(s: string): string {
  let a = 0;
  let b = s.length;
  while (a < b && s.charCodeAt(a) === 0x20) a++;
  while (b > a && s.charCodeAt(b - 1) === 0x20) b--;
  return a === 0 && b === s.length ? s : s.slice(a, b);
}

function indentOf(line: string): number {
  let i = 0;
  while (line.charCodeAt(i) === 0x20) i++;
  return i;
}

const isBlank = (line: string, ind: number): boolean => ind === line.length;

/** A double-quoted scalar that JSON reads the same way (no YAML-only escapes, no raw tabs), or BAIL. */
function doubleQuoted(v: string): string | typeof BAIL {
  for (let i = 1; i < v.length; i++) {
    const c = v[i];
    if (c === '\\') {
      const e = v[i + 1];
      if (e === undefined || !'"\\/bfnrtu'.includes(e)) return BAIL;
      i++;
      continue;
    }
    if (c === '"') {
      if (i !== v.length - 1) return BAIL;
      try {
        return JSON.parse(v) as string;
      } catch {
        return BAIL;
      }
    }
  }
  return BAIL; // continues on the next line
}

function singleQuoted(v: string): string | typeof BAIL {
  if (v.includes('\t')) return BAIL;
  for (let i = 1; i < v.length; i++) {
    if (v[i] !== "'") continue;
    if (v[i + 1] === "'") {
      i++;
      continue;
    }
    return i === v.length - 1 ? v.slice(1, -1).replaceAll("''", "'") : BAIL;
  }
  return BAIL;
}

const MAX_NESTING = 200;

class ItemParser {
  private readonly lines: string[];
  private i: number;
  private readonly end: number;

  constructor(lines: string[], start: number, end: number) {
    this.lines = lines;
    this.i = start;
    this.end = end;
  }

  /** The next line that is not blank (blank lines between entries carry no value), or -1. */
  private nextContent(): number {
    while (this.i < this.end) {
      const l = this.lines[this.i]!;
      if (!isBlank(l, indentOf(l))) return this.i;
      this.i++;
    }
    return -1;
  }

  parseRoot(indent: number): unknown {
    const v = this.map(indent, 0);
    if (v === BAIL) return BAIL;
    return this.nextContent() === -1 ? v : BAIL;
  }

  private map(indent: number, depth: number): Record<string, unknown> | typeof BAIL {
    if (depth > MAX_NESTING) return BAIL;
    const out: Record<string, unknown> = {};
    for (;;) {
      const at = this.nextContent();
      if (at === -1) return out;
      const line = this.lines[at]!;
      const ind = indentOf(line);
      if (ind < indent) return out;
      if (ind > indent) return BAIL;
      const colon = keyEnd(line, ind);
      if (colon === -1) return BAIL; // a sequence entry, a comment, a scalar: not a map entry
      const key = line.slice(ind, colon);
      if (!plainStringKey(key) || Object.hasOwn(out, key)) return BAIL;
      const v = spaceTrim(line.slice(colon + 1));
      this.i = at + 1;
      const value = v === '' ? this.nested(indent, depth, true) : this.inline(v, indent, depth);
      if (value === BAIL) return BAIL;
      out[key] = value;
    }
  }

  /** The value of `key:` with nothing after it: a sequence at the key's column, a deeper block, or null. */
  private nested(indent: number, depth: number, inMap: boolean): unknown {
    const at = this.nextContent();
    if (at === -1) return null;
    const line = this.lines[at]!;
    const ind = indentOf(line);
    if (inMap && ind === indent && isEntry(line, ind)) return this.seq(ind, depth + 1);
    if (ind <= indent) return null;
    if (isEntry(line, ind)) return this.seq(ind, depth + 1);
    return this.map(ind, depth + 1);
  }

  private seq(indent: number, depth: number): unknown[] | typeof BAIL {
    if (depth > MAX_NESTING) return BAIL;
    const out: unknown[] = [];
    for (;;) {
      const at = this.nextContent();
      if (at === -1) return out;
      const line = this.lines[at]!;
      const ind = indentOf(line);
      if (ind < indent) return out;
      if (ind > indent) return BAIL;
      if (!isEntry(line, ind)) return out; // the parent map's next key (a sequence at the key's column)
      const rest = line.slice(ind + 2);
      if (line.length === ind + 1 || spaceTrim(rest) === '') {
        this.i = at + 1;
        const v = this.nested(indent, depth, false);
        if (v === BAIL) return BAIL;
        out.push(v);
        continue;
      }
      const off = indentOf(rest);
      if (off > 0) return BAIL;
      if (isEntry(rest, 0) || keyEnd(rest, 0) !== -1) {
        // `- key: value` (a map) or `- - x` (a sequence) whose first line starts at indent + 2.
        this.lines[at] = `${' '.repeat(ind + 2)}${rest}`;
        this.i = at;
        const v = isEntry(rest, 0) ? this.seq(ind + 2, depth + 1) : this.map(ind + 2, depth + 1);
        if (v === BAIL) return BAIL;
        out.push(v);
        continue;
      }
      this.i = at + 1;
      const v = this.inline(spaceTrim(rest), indent, depth);
      if (v === BAIL) return BAIL;
      out.push(v);
    }
  }

  /** A value that starts on the key's (or the entry's) line; `indent` is the parent's column. */
  private inline(v: string, indent: number, depth: number): unknown {
    const c = v[0];
    if (c === '"') return this.single(doubleQuoted(v), indent);
    if (c === "'") return this.single(singleQuoted(v), indent);
    if (v === '{}') return this.single({}, indent);
    if (v === '[]') return this.single([], indent);
    if (c === '|') return this.literal(v, indent);
    if (!plainStart(v) || v.includes(' #') || v.includes('\t') || v.includes(': ') || v.endsWith(':')) return BAIL;
    // A plain scalar may go on over more-indented lines, folded into one with single spaces.
    let text = v;
    for (;;) {
      if (this.i >= this.end) break;
      const line = this.lines[this.i]!;
      const ind = indentOf(line);
      if (isBlank(line, ind)) {
        // A blank line inside a folded scalar is a newline: not handled here.
        let j = this.i + 1;
        while (j < this.end && isBlank(this.lines[j]!, indentOf(this.lines[j]!))) j++;
        if (j < this.end && indentOf(this.lines[j]!) > indent) return BAIL;
        break;
      }
      if (ind <= indent) break;
      const cont = spaceTrim(line.slice(ind));
      if (!plainStart(cont) || cont.startsWith('-') || cont.includes(' #') || cont.includes('\t') || cont.includes(': ') || cont.endsWith(':')) return BAIL;
      text += ` ${cont}`;
      this.i++;
    }
    void depth;
    return resolvePlain(text);
  }

  /** A value that must end on its line: the next content line may not be more indented. */
  private single(v: unknown, indent: number): unknown {
    if (v === BAIL) return BAIL;
    const at = this.nextContent();
    if (at !== -1 && indentOf(this.lines[at]!) > indent) return BAIL;
    return v;
  }

  /** `|`, `|-` or `|+`: the lines more indented than the parent, as they are, with a final newline chomped. */
  private literal(header: string, indent: number): unknown {
    if (header !== '|' && header !== '|-' && header !== '|+') return BAIL;
    const parts: string[] = [];
    let m = -1;
    let trailing = 0;
    while (this.i < this.end) {
      const line = this.lines[this.i]!;
      const ind = indentOf(line);
      if (isBlank(line, ind)) {
        if (ind > 0) return BAIL; // spaces on an empty line: more-indented-than-content rules
        parts.push('');
        trailing++;
        this.i++;
        continue;
      }
      if (ind <= indent) break;
      if (m === -1) {
        m = ind;
        if (trailing > 0) return BAIL; // leading empty lines: left to `yaml`
      } else if (ind < m) return BAIL;
      parts.push(line.slice(m));
      trailing = 0;
      this.i++;
    }
    if (m === -1) return BAIL;
    const body = parts.slice(0, parts.length - trailing);
    if (header === '|-') return body.join('\n');
    if (header === '|') return `${body.join('\n')}\n`;
    return `${body.join('\n')}\n${'\n'.repeat(trailing)}`;
  }
}

/** `- ` (or a lone `-`) at column `ind`. */
function isEntry(line: string, ind: number): boolean {
  return line.charCodeAt(ind) === 0x2d && (line.length === ind + 1 || line.charCodeAt(ind + 1) === 0x20);
}

/** Where a plain key starting at `ind` ends (the `:` followed by a space or the end of the line), or -1. */
function keyEnd(line: string, ind: number): number {
  const c = line[ind];
  if (c === undefined || c === '#' || c === '"' || c === "'" || isEntry(line, ind)) return -1;
  let k = line.indexOf(':', ind);
  while (k !== -1) {
    if (k === line.length - 1 || line.charCodeAt(k + 1) === 0x20) return k;
    k = line.indexOf(':', k + 1);
  }
  return -1;
}

/**
 * One item of a kubectl List: `lines[start]` is its `- ` line, the lines up to `end` the rest, all
 * indented 2 (the item's map at column 2). Returns the object, or BAIL. `lines[start]` is rewritten.
 */
export function parseYamlItem(lines: string[], start: number, end: number): unknown {
  const first = lines[start]!;
  if (!first.startsWith('- ')) return BAIL;
  lines[start] = `  ${first.slice(2)}`;
  if (indentOf(lines[start]) !== 2) return BAIL;
  return new ItemParser(lines, start, end).parseRoot(2);
}
