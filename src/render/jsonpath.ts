// kubectl's `-o jsonpath=TEMPLATE` (k8s.io/client-go/util/jsonpath): literal text with {expressions},
// `{range PATH}...{end}` loops, `{"\n"}` string literals, results of one expression joined by spaces,
// strings printed bare and everything else as JSON, missing keys printed as nothing (kubectl's default
// --allow-missing-template-keys=true). Path evaluation is jsonpath-plus's (a well-kept JSONPath engine
// with a filter evaluator that runs no JavaScript); this file only translates kubectl's template grammar.

import { JSONPath } from 'jsonpath-plus';

type Node = { kind: 'text'; text: string } | { kind: 'path'; path: string } | { kind: 'range'; path: string; body: Node[] };

/** Thrown for a template that cannot be parsed; the command layer turns it into a usage error. */
export class TemplateError extends Error {}

function unquote(lit: string): string {
  return lit.slice(1, -1).replace(/\\(.)/g, (_, ch: string) => (ch === 'n' ? '\n' : ch === 't' ? '\t' : ch === 'r' ? '\r' : ch));
}

/** kubectl's field path (`.a.b[*].c`, `..name`, `.labels.app\.kubernetes\.io/name`) as jsonpath-plus's. */
function toJsonPathPlus(expr: string): string {
  let s = expr.trim();
  let out = '$';
  if (s.startsWith('$')) s = s.slice(1);
  else if (s.startsWith('@')) s = s.slice(1);
  let i = 0;
  while (i < s.length) {
    const ch = s[i]!;
    if (ch === '[') {
      let depth = 0;
      let j = i;
      for (; j < s.length; j++) {
        if (s[j] === '[') depth++;
        else if (s[j] === ']' && --depth === 0) break;
      }
      if (j >= s.length) throw new TemplateError(`unclosed "[" in "${expr}"`);
      out += s.slice(i, j + 1);
      i = j + 1;
    } else if (ch === '.') {
      if (s[i + 1] === '.') {
        out += '..';
        i += 2;
        continue;
      }
      i++;
      if (i >= s.length) break; // `{.}`: the whole object
      let name = '';
      while (i < s.length && s[i] !== '.' && s[i] !== '[') {
        if (s[i] === '\\' && i + 1 < s.length) {
          name += s[i + 1];
          i += 2;
        } else name += s[i++];
      }
      out += name === '*' ? '[*]' : `[${JSON.stringify(name).replace(/^"|"$/g, "'")}]`;
    } else {
      // A bare name right after `..`.
      let name = '';
      while (i < s.length && s[i] !== '.' && s[i] !== '[') name += s[i++];
      out += name === '*' ? '*' : name;
    }
  }
  return out;
}

function parseTemplate(template: string): Node[] {
  const root: Node[] = [];
  const stack: Node[][] = [root];
  const open: { kind: 'range'; path: string; body: Node[] }[] = [];
  let i = 0;
  while (i < template.length) {
    const start = template.indexOf('{', i);
    if (start < 0) {
      stack[stack.length - 1]!.push({ kind: 'text', text: template.slice(i) });
      break;
    }
    if (start > i) stack[stack.length - 1]!.push({ kind: 'text', text: template.slice(i, start) });
    let end = start + 1;
    let quote: string | undefined;
    for (; end < template.length; end++) {
      const c = template[end]!;
      if (quote) {
        if (c === '\\') end++;
        else if (c === quote) quote = undefined;
      } else if (c === '"' || c === "'") quote = c;
      else if (c === '}') break;
    }
    if (end >= template.length) throw new TemplateError(`unclosed action: "${template.slice(start)}"`);
    const body = template.slice(start + 1, end).trim();
    i = end + 1;
    if (body === 'end') {
      if (open.length === 0) throw new TemplateError('{end} without {range}');
      open.pop();
      stack.pop();
    } else if (body.startsWith('range ')) {
      const node = { kind: 'range' as const, path: toJsonPathPlus(body.slice(6)), body: [] as Node[] };
      stack[stack.length - 1]!.push(node);
      open.push(node);
      stack.push(node.body);
    } else if (/^"(?:[^"\\]|\\.)*"$/.test(body) || /^'(?:[^'\\]|\\.)*'$/.test(body)) {
      stack[stack.length - 1]!.push({ kind: 'text', text: unquote(body) });
    } else {
      stack[stack.length - 1]!.push({ kind: 'path', path: toJsonPathPlus(body) });
    }
  }
  if (open.length > 0) throw new TemplateError('{range} without {end}');
  return root;
}

function query(path: string, json: unknown): unknown[] {
  // eval: 'safe' is jsonpath-plus's own filter evaluator: no JavaScript is run for `?(...)` filters.
  return JSONPath<unknown[]>({ path, json: json as object, wrap: true, eval: 'safe' });
}

function show(v: unknown): string {
  return typeof v === 'string' ? v : JSON.stringify(v);
}

function run(nodes: readonly Node[], ctx: unknown, out: string[]): void {
  for (const n of nodes) {
    if (n.kind === 'text') out.push(n.text);
    else if (n.kind === 'path') out.push(query(n.path, ctx).map(show).join(' '));
    else for (const item of query(n.path, ctx)) run(n.body, item, out);
  }
}

/** Parse once (usage errors before any I/O), print many times. */
export function compileTemplate(template: string): (doc: unknown) => string {
  const nodes = parseTemplate(template);
  return (doc) => {
    const out: string[] = [];
    run(nodes, doc, out);
    return out.join('');
  };
}
