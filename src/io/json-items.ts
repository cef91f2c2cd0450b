// A JSON object read as it streams, handing out each element of its top-level "items" array as text as
// soon as the element is complete, so a 500-object page (or a 100,000-pod dump) is never one object
// tree: the caller parses one element with JSON.parse, keeps the fields it reads and drops the rest.
//
// Hand-written rather than a streaming JSON library (stream-json, @streamparser/json): those tokenize
// every byte in JavaScript and build each value from tokens, several times slower than V8's JSON.parse
// (ecosystem.md 1.x "Not worth it"). Here JavaScript only finds where each element ends, jumping from
// quote to quote with Buffer.indexOf inside strings (most of a Kubernetes object's bytes), and V8
// parses the element. Anything malformed inside an element is left for JSON.parse to reject; the
// splitter only needs the structure: strings, brackets, commas and colons.

/** Where the splitter sends what it finds. */
export interface JsonListSink {
  /** One element of the top-level "items" array, as its JSON text (whitespace around it trimmed). */
  item(text: string): void;
  /** Any other top-level member (kind, apiVersion, metadata; items when it is not an array), parsed. */
  member(key: string, value: unknown): void;
  /** A top-level "items" array begins (a second one means a duplicate key). */
  itemsStart?(): void;
}

/** Input that is not one JSON object, or is cut short: `message` says what and where. */
export class JsonSplitError extends Error {}

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COMMA = 0x2c;
const COLON = 0x3a;

const NULL_TEXT = Buffer.from('null');

const isSpace = (b: number): boolean => b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;

/**
 * States at the top level (depth 1, inside the outer object): expecting a key, a colon, a value, or a
 * comma/close. Below that only depth and strings are tracked, until the captured value ends.
 */
const Top = {
  Start: 0, // before the outer '{'
  Key: 1, // after '{' or ',': a key string (or '}' right after '{')
  Colon: 2,
  Value: 3, // after ':': the value starts at the next non-space byte
  InValue: 4, // inside a member's value (or inside the items array)
  After: 5, // after a value: ',' or '}'
  Done: 6, // after the outer '}'
} as const;
type TopState = (typeof Top)[keyof typeof Top];

export class JsonListSplitter {
  private readonly sink: JsonListSink;
  private readonly maxValueBytes: number;
  private top: TopState = Top.Start;
  private depth = 0;
  private inString = false;
  /** The byte at the start of the next chunk is escaped (a backslash ended the previous chunk). */
  private escapeCarry = false;
  private key = '';
  /** The current member is "items" and its value is an array: elements are captured one by one. */
  private inItems = false;
  /** After a ',' in items: an element must follow (JSON has no trailing commas). */
  private elementDue = false;
  /** Capturing: the parts from earlier chunks, and where the capture starts in the current chunk. */
  private parts: Buffer[] = [];
  private partsBytes = 0;
  private capStart = -1;
  /** The capture is a key string (Top.Key) rather than a value. */
  private capKey = false;
  private offset = 0;
  /**
   * Members of an item's members to leave out, as "metadata.managedFields": their values are replaced
   * by null in the item's text, so JSON.parse never builds what the caller drops anyway.
   */
  private readonly skip: ReadonlySet<string> | undefined;
  /** Inside an item (depth 3 = the item's members, 4 = theirs): whether the next string is a member name. */
  private keyDue = false;
  /** The container at depth 4 is an object (its strings after '{' or ',' are names). */
  private objectAt4 = false;
  private nameAt3 = '';
  private nameAt4 = '';
  /** The string being scanned is a member name at depth 3 or 4: its bytes from `nameFrom` of this chunk, after `namePrefix` from earlier ones. */
  private inName = false;
  private nameFrom = 0;
  private namePrefix = '';
  /** The next value starts a skipped member; `skipping` while its bytes go by uncaptured. */
  private skipDue = false;
  private skipping = false;

  constructor(sink: JsonListSink, opts: { maxValueBytes?: number; skip?: readonly string[] } = {}) {
    this.sink = sink;
    this.maxValueBytes = opts.maxValueBytes ?? Number.MAX_SAFE_INTEGER;
    this.skip = opts.skip && opts.skip.length > 0 ? new Set(opts.skip) : undefined;
  }

  write(buf: Buffer): void {
    const n = buf.length;
    let i = 0;
    if (this.capStart === -1 && this.parts.length > 0 && !this.skipping) this.capStart = 0;
    if (this.inName) this.nameFrom = 0;
    while (i < n) {
      if (this.inString) {
        if (this.escapeCarry) {
          this.escapeCarry = false;
          i++;
          continue;
        }
        const q = this.closingQuote(buf, i);
        if (q === -1) break;
        i = q + 1;
        this.inString = false;
        if (this.capKey && this.depth === 1) this.endKey(buf, q + 1);
        else if (this.inName) {
          // Raw bytes: a name written with escapes is not matched, and leaving a member in is always correct.
          const name = this.namePrefix + buf.toString('latin1', this.nameFrom, q);
          if (this.depth === 3) this.nameAt3 = name;
          else this.nameAt4 = name;
          this.inName = false;
          this.namePrefix = '';
        }
        continue;
      }
      const b = buf[i]!;
      if (isSpace(b)) {
        i++;
        continue;
      }
      switch (this.top) {
        case Top.Start:
          if (b !== OPEN_BRACE) throw this.error(i, 'is not a JSON object');
          this.depth = 1;
          this.top = Top.Key;
          i++;
          continue;
        case Top.Key:
          if (b === CLOSE_BRACE && this.key === '') {
            this.finishObject();
            i++;
            continue;
          }
          if (b !== QUOTE) throw this.error(i, 'expected a member name');
          this.inString = true;
          this.capKey = true;
          this.capStart = i;
          i++;
          continue;
        case Top.Colon:
          if (b !== COLON) throw this.error(i, 'expected ":"');
          this.top = Top.Value;
          i++;
          continue;
        case Top.Value:
          this.top = Top.InValue;
          if (this.key === 'items' && b === OPEN_BRACKET) {
            this.sink.itemsStart?.();
            this.inItems = true;
            this.depth = 2;
            i++;
            continue;
          }
          this.capStart = i;
          continue; // the first byte of the value is scanned below
        case Top.After:
          if (b === COMMA) {
            this.top = Top.Key;
            this.key = '\0'; // not '' : '}' right after ',' is an error
            i++;
            continue;
          }
          if (b === CLOSE_BRACE) {
            this.finishObject();
            i++;
            continue;
          }
          throw this.error(i, 'expected "," or "}"');
        case Top.Done:
          throw this.error(i, 'has more after the end of the object');
        case Top.InValue:
          break;
      }
      // Deep inside an item nothing but depth and strings matters until it comes back up: a tight loop.
      if (this.inItems && this.depth > 4) {
        i = this.deepScan(buf, i);
        continue;
      }
      // Inside a value: track strings and depth; a value ends at ',' or the closing bracket of its parent.
      const base = this.inItems ? 2 : 1;
      if (this.skipDue) this.startSkip(buf, i);
      if (b === QUOTE) {
        if (this.inItems && this.depth === 2 && this.capStart === -1) this.capStart = i;
        if (this.keyDue) {
          this.keyDue = false;
          this.inName = true;
          this.nameFrom = i + 1;
        }
        this.inString = true;
        i++;
        continue;
      }
      if (this.skip && this.inItems && this.depth >= 3 && this.depth <= 4) this.itemStructure(b, i);
      if (this.depth === base && (b === COMMA || b === (this.inItems ? CLOSE_BRACKET : CLOSE_BRACE))) {
        if (this.inItems) {
          if (this.capStart !== -1) this.endValue(buf, i);
          else if (b === COMMA || this.elementDue) throw this.error(i, 'has an empty element in "items"');
          this.elementDue = b === COMMA;
          if (b === CLOSE_BRACKET) {
            this.inItems = false;
            this.depth = 1;
            this.top = Top.After;
          }
          i++;
          continue;
        }
        this.endValue(buf, i);
        this.top = Top.After;
        continue; // the ',' or '}' is handled as Top.After
      }
      if (this.inItems && this.depth === 2 && this.capStart === -1) this.capStart = i;
      if (this.skip && this.inItems && this.depth === 2 && b === OPEN_BRACE) this.keyDue = true;
      if (b === OPEN_BRACE || b === OPEN_BRACKET) this.depth++;
      else if (b === CLOSE_BRACE || b === CLOSE_BRACKET) {
        this.depth--;
        if (this.depth < base) throw this.error(i, 'has an unbalanced bracket');
      }
      i++;
    }
    if (this.inName) this.namePrefix += buf.toString('latin1', Math.min(this.nameFrom, n), n);
    if (this.capStart !== -1) {
      const part = buf.subarray(this.capStart);
      this.parts.push(part);
      this.partsBytes += part.length;
      this.capStart = -1;
      if (this.partsBytes > this.maxValueBytes) throw this.error(n, `has a value larger than ${this.maxValueBytes} bytes`);
    }
    this.offset += n;
  }

  /**
   * The quote that ends the string whose bytes go on from `from` (a quote after an even run of
   * backslashes), or -1 when the string goes on in the next chunk: then an odd run of backslashes at
   * the chunk's end escapes the next chunk's first byte (escapeCarry).
   */
  private closingQuote(buf: Buffer, from: number): number {
    for (;;) {
      const q = buf.indexOf(QUOTE, from);
      const end = q === -1 ? buf.length : q;
      let k = end - 1;
      while (k >= from && buf[k] === BACKSLASH) k--;
      const escaped = (end - 1 - k) % 2 === 1;
      if (q === -1) {
        this.escapeCarry = escaped;
        return -1;
      }
      if (!escaped) return q;
      from = q + 1;
    }
  }

  /**
   * From i at depth > 4 inside an item, to just after the bracket that brings the depth back to 4 (or
   * to a string that goes on in the next chunk, or the chunk's end). Returns where it stopped.
   */
  private deepScan(buf: Buffer, i: number): number {
    const n = buf.length;
    let d = this.depth;
    while (i < n) {
      const c = buf[i]!;
      if (c === QUOTE) {
        const q = this.closingQuote(buf, i + 1);
        if (q === -1) {
          this.inString = true;
          this.depth = d;
          return n;
        }
        i = q + 1;
        continue;
      }
      i++;
      if (c === OPEN_BRACE || c === OPEN_BRACKET) d++;
      else if ((c === CLOSE_BRACE || c === CLOSE_BRACKET) && --d === 4) break;
    }
    this.depth = d;
    return i;
  }

  /** Names and member boundaries inside an item, at depth 3 (its members) and 4 (theirs), for `skip`. */
  private itemStructure(b: number, i: number): void {
    if (this.depth === 3) {
      if (b === COMMA) this.keyDue = true;
      else if (b === OPEN_BRACE || b === OPEN_BRACKET) {
        this.objectAt4 = b === OPEN_BRACE;
        this.keyDue = this.objectAt4;
        this.nameAt4 = '';
      }
      return;
    }
    // depth 4: a skipped member's value ends at the ',' or '}' that ends the member.
    if (this.skipping && (b === COMMA || b === CLOSE_BRACE)) {
      this.skipping = false;
      this.capStart = i;
    }
    if (b === COMMA) this.keyDue = this.objectAt4;
    else if (b === COLON && this.objectAt4 && this.skip!.has(`${this.nameAt3}.${this.nameAt4}`)) this.skipDue = true;
  }

  /** A skipped value begins at i: what was captured so far, then null in its place. */
  private startSkip(buf: Buffer, i: number): void {
    this.skipDue = false;
    const part = this.capStart === -1 ? buf.subarray(i, i) : buf.subarray(this.capStart, i);
    this.parts.push(part, NULL_TEXT);
    this.partsBytes += part.length + NULL_TEXT.length;
    this.capStart = -1;
    this.skipping = true;
  }

  /** The input has ended: it must have been exactly one complete object. */
  end(): void {
    if (this.top !== Top.Done) throw this.error(0, this.top === Top.Start ? 'is empty' : 'ends before the object is complete');
  }

  private captured(buf: Buffer, end: number): string {
    const last = buf.subarray(this.capStart === -1 ? 0 : this.capStart, end);
    const text = this.parts.length === 0 ? last.toString('utf8') : Buffer.concat([...this.parts, last]).toString('utf8');
    this.parts = [];
    this.partsBytes = 0;
    this.capStart = -1;
    return text;
  }

  private endKey(buf: Buffer, end: number): void {
    this.capKey = false;
    const text = this.captured(buf, end);
    try {
      this.key = JSON.parse(text) as string;
    } catch {
      throw new JsonSplitError(`the JSON has a member name that is not a valid string (${text.slice(0, 40)})`);
    }
    this.top = Top.Colon;
  }

  private endValue(buf: Buffer, end: number): void {
    const text = this.captured(buf, end).trimEnd();
    if (this.inItems) {
      this.sink.item(text);
      return;
    }
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (e) {
      throw new JsonSplitError(`the member "${this.key}" is not valid JSON (${(e as Error).message})`);
    }
    this.sink.member(this.key, value);
  }

  private finishObject(): void {
    this.depth = 0;
    this.top = Top.Done;
  }

  private error(i: number, what: string): JsonSplitError {
    return new JsonSplitError(`the JSON ${what} (at byte ${this.offset + i})`);
  }
}
