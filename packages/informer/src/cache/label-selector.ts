/*
 * Label selectors as the API server reads them (apimachinery's labels.Parse, labels.Selector and
 * metav1.LabelSelectorAsSelector): the same grammar, validation and matching, so a lister
 * selects exactly what a LIST with the same `labelSelector` would.
 *
 *   <selector>    ::= <requirement> | <requirement> "," <selector>
 *   <requirement> ::= [!] KEY [ ("in" | "notin") "(" VALUE {"," VALUE} ")" | ("=" | "==" | "!=" | ">" | "<") VALUE ]
 */
import { SelectorError } from '../errors/selector-error.ts';

/** How a requirement relates a label key to its values (apimachinery's `selection.Operator`). */
export type SelectorOperator = 'In' | 'NotIn' | 'Equals' | 'DoubleEquals' | 'NotEquals' | 'Exists' | 'DoesNotExist' | 'GreaterThan' | 'LessThan';

/** One condition of a selector on one label key. */
export interface Requirement {
  readonly key: string;
  readonly operator: SelectorOperator;
  readonly values: readonly string[];
}

/** An object's labels: absent and `{}` are the same. */
export type Labels = Readonly<Record<string, string>> | undefined;

/** One expression of a {@link LabelSelector} (metav1.LabelSelectorRequirement). */
export interface LabelSelectorRequirement {
  key: string;
  operator: 'In' | 'NotIn' | 'Exists' | 'DoesNotExist';
  values?: string[] | undefined;
}

/** The selector object of workload specs (metav1.LabelSelector): its parts are ANDed. */
export interface LabelSelector {
  matchLabels?: Record<string, string> | undefined;
  matchExpressions?: LabelSelectorRequirement[] | undefined;
}

/**
 * A parsed label selector (apimachinery's `labels.Selector`): every requirement must hold. The
 * empty selector matches everything; {@link Selector.nothing} matches nothing.
 *
 * @example
 * ```ts
 * const selector = parseSelector('app=web,tier in (frontend,edge),!canary');
 * selector.matches({ app: 'web', tier: 'edge' }); // true
 * ```
 */
export class Selector {
  /** The requirements, sorted by key. */
  readonly requirements: readonly Requirement[];
  readonly #nothing: boolean;

  private constructor(requirements: readonly Requirement[], nothing = false) {
    this.requirements = [...requirements].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    this.#nothing = nothing;
  }

  /** The selector that matches every object (an empty selector). */
  static everything(): Selector {
    return new Selector([]);
  }

  /** A selector that matches no object (labels.Nothing). */
  static nothing(): Selector {
    return new Selector([], true);
  }

  /** @internal Made by {@link parseSelector}, {@link selectorFromSet} and {@link labelSelectorAsSelector}. */
  static fromRequirements(requirements: readonly Requirement[]): Selector {
    return new Selector(requirements);
  }

  /** True when the selector restricts nothing. */
  empty(): boolean {
    return !this.#nothing && this.requirements.length === 0;
  }

  /** True when every requirement holds for `labels`. */
  matches(labels: Labels): boolean {
    if (this.#nothing) return false;
    for (const requirement of this.requirements) if (!requirementMatches(requirement, labels ?? {})) return false;
    return true;
  }

  /** The canonical text form (sorted keys, as `labels.Selector.String()`), usable as a `labelSelector` query. */
  toString(): string {
    return this.requirements.map(formatRequirement).join(',');
  }
}

function requirementMatches(requirement: Requirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.hasOwn(labels, requirement.key);
  const value = has ? labels[requirement.key]! : undefined;
  switch (requirement.operator) {
    case 'In':
    case 'Equals':
    case 'DoubleEquals':
      return value !== undefined && requirement.values.includes(value);
    case 'NotIn':
    case 'NotEquals':
      return value === undefined || !requirement.values.includes(value);
    case 'Exists':
      return has;
    case 'DoesNotExist':
      return !has;
    case 'GreaterThan':
    case 'LessThan': {
      if (value === undefined) return false;
      const actual = parseInt64(value);
      const bound = parseInt64(requirement.values[0] ?? '');
      if (actual === undefined || bound === undefined) return false;
      return requirement.operator === 'GreaterThan' ? actual > bound : actual < bound;
    }
  }
}

/** Go's strconv.ParseInt(s, 10, 64): optional sign, decimal digits, within int64. */
function parseInt64(text: string): bigint | undefined {
  if (!/^[+-]?\d+$/.test(text)) return undefined;
  const value = BigInt(text);
  return value >= -(2n ** 63n) && value < 2n ** 63n ? value : undefined;
}

const operatorText: Record<SelectorOperator, string> = {
  In: ' in ',
  NotIn: ' notin ',
  Equals: '=',
  DoubleEquals: '==',
  NotEquals: '!=',
  GreaterThan: '>',
  LessThan: '<',
  Exists: '',
  DoesNotExist: '',
};

function formatRequirement(requirement: Requirement): string {
  const prefix = requirement.operator === 'DoesNotExist' ? '!' : '';
  if (requirement.operator === 'Exists' || requirement.operator === 'DoesNotExist') return `${prefix}${requirement.key}`;
  const values = [...requirement.values].sort().join(',');
  const set = requirement.operator === 'In' || requirement.operator === 'NotIn';
  return `${requirement.key}${operatorText[requirement.operator]}${set ? `(${values})` : values}`;
}

// ---- validation (apimachinery util/validation: IsQualifiedName, IsValidLabelValue) ----

const NAME_PART = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Why `key` is not a valid label key, or undefined. */
export function invalidLabelKeyReason(key: string): string | undefined {
  const parts = key.split('/');
  let name: string;
  if (parts.length === 1) {
    name = key;
  } else if (parts.length === 2) {
    const prefix = parts[0]!;
    name = parts[1]!;
    if (prefix.length === 0) return `key ${JSON.stringify(key)}: prefix part must be non-empty`;
    if (prefix.length > 253) return `key ${JSON.stringify(key)}: prefix part must be no more than 253 characters`;
    if (!DNS1123_SUBDOMAIN.test(prefix)) {
      return `key ${JSON.stringify(key)}: prefix part must be a lowercase DNS subdomain (lowercase alphanumerics, '-' and '.', starting and ending with an alphanumeric)`;
    }
  } else {
    return `key ${JSON.stringify(key)}: a qualified name must consist of an optional DNS subdomain prefix and a name, separated by one '/'`;
  }
  if (name.length === 0) return `key ${JSON.stringify(key)}: name part must be non-empty`;
  if (name.length > 63) return `key ${JSON.stringify(key)}: name part must be no more than 63 characters`;
  if (!NAME_PART.test(name)) {
    return `key ${JSON.stringify(key)}: name part must consist of alphanumerics, '-', '_' or '.', and must start and end with an alphanumeric`;
  }
  return undefined;
}

/** Why `value` is not a valid label value, or undefined. The empty value is valid. */
export function invalidLabelValueReason(value: string): string | undefined {
  if (value.length > 63) return `value ${JSON.stringify(value)}: must be no more than 63 characters`;
  if (value.length > 0 && !NAME_PART.test(value)) {
    return `value ${JSON.stringify(value)}: must be empty or consist of alphanumerics, '-', '_' or '.', and must start and end with an alphanumeric`;
  }
  return undefined;
}

/** Checks a requirement like apimachinery's `NewRequirement`; returns the reason it is invalid, or undefined. */
function invalidRequirementReason(key: string, operator: SelectorOperator, values: readonly string[]): string | undefined {
  const keyReason = invalidLabelKeyReason(key);
  if (keyReason) return keyReason;
  switch (operator) {
    case 'In':
    case 'NotIn':
      if (values.length === 0) return `key ${JSON.stringify(key)}: for 'in', 'notin' operators, values set can't be empty`;
      break;
    case 'Equals':
    case 'DoubleEquals':
    case 'NotEquals':
      if (values.length !== 1) return `key ${JSON.stringify(key)}: exact-match compatibility requires one single value`;
      break;
    case 'Exists':
    case 'DoesNotExist':
      if (values.length !== 0) return `key ${JSON.stringify(key)}: values set must be empty for exists and does not exist`;
      break;
    case 'GreaterThan':
    case 'LessThan':
      if (values.length !== 1) return `key ${JSON.stringify(key)}: for 'Gt', 'Lt' operators, exactly one value is required`;
      if (parseInt64(values[0]!) === undefined) return `key ${JSON.stringify(key)}: for 'Gt', 'Lt' operators, the value must be an integer`;
      break;
  }
  for (const value of values) {
    const valueReason = invalidLabelValueReason(value);
    if (valueReason) return valueReason;
  }
  return undefined;
}

// ---- the lexer and parser (labels.Parse) ----

type Token = 'end' | 'error' | 'identifier' | ')' | ',' | '!' | '==' | '=' | '>' | 'in' | '<' | '!=' | 'notin' | '(';

const KEYWORDS = new Set<Token>([')', ',', '!', '==', '=', '>', 'in', '<', '!=', 'notin', '(']);
const SPECIAL = new Set(['=', '!', '(', ')', ',', '>', '<']);
const WHITESPACE = new Set([' ', '\t', '\r', '\n']);

interface Scanned {
  token: Token;
  literal: string;
}

function lex(text: string): Scanned[] {
  const items: Scanned[] = [];
  let pos = 0;
  while (true) {
    while (pos < text.length && WHITESPACE.has(text[pos]!)) pos++;
    if (pos >= text.length) {
      items.push({ token: 'end', literal: '' });
      return items;
    }
    if (SPECIAL.has(text[pos]!)) {
      // The longest run of special symbols that is still an operator ("!=", "==", then "(").
      let buffer = '';
      let last: Scanned | undefined;
      while (pos < text.length && SPECIAL.has(text[pos]!)) {
        buffer += text[pos];
        if (KEYWORDS.has(buffer as Token)) {
          last = { token: buffer as Token, literal: buffer };
          pos++;
        } else if (last) {
          break;
        } else {
          pos++;
        }
      }
      if (!last) {
        items.push({ token: 'error', literal: `error expected: keyword found '${buffer}'` });
        items.push({ token: 'end', literal: '' });
        return items;
      }
      items.push(last);
      continue;
    }
    let buffer = '';
    while (pos < text.length && !SPECIAL.has(text[pos]!) && !WHITESPACE.has(text[pos]!)) buffer += text[pos++];
    items.push(buffer === 'in' || buffer === 'notin' ? { token: buffer, literal: buffer } : { token: 'identifier', literal: buffer });
  }
}

class Parser {
  readonly #items: Scanned[];
  #position = 0;

  constructor(text: string) {
    this.#items = lex(text);
  }

  /** The current token; in a values context `in` and `notin` are plain identifiers. */
  #lookahead(values: boolean): Scanned {
    return asValue(this.#items[Math.min(this.#position, this.#items.length - 1)]!, values);
  }

  #consume(values: boolean): Scanned {
    const item = this.#lookahead(values);
    this.#position++;
    return item;
  }

  parse(): Requirement[] {
    const requirements: Requirement[] = [];
    while (true) {
      const { token, literal } = this.#lookahead(true);
      if (token === 'end') return requirements;
      if (token !== 'identifier' && token !== '!') throw new Error(`found '${literal}', expected: !, identifier, or 'end of string'`);
      requirements.push(this.#requirement());
      const next = this.#consume(true);
      if (next.token === 'end') return requirements;
      if (next.token !== ',') throw new Error(`found '${next.literal}', expected: ',' or 'end of string'`);
      const after = this.#lookahead(true);
      if (after.token !== 'identifier' && after.token !== '!') throw new Error(`found '${after.literal}', expected: identifier after ','`);
    }
  }

  #requirement(): Requirement {
    let operator: SelectorOperator | undefined;
    let item = this.#consume(true);
    if (item.token === '!') {
      operator = 'DoesNotExist';
      item = this.#consume(true);
    }
    if (item.token !== 'identifier') throw new Error(`found '${item.literal}', expected: identifier`);
    const key = item.literal;
    const keyReason = invalidLabelKeyReason(key);
    if (keyReason) throw new Error(keyReason);
    const following = this.#lookahead(true).token;
    if (following === 'end' || following === ',') operator ??= 'Exists';
    if (operator === 'Exists' || operator === 'DoesNotExist') return requirement(key, operator, []);
    const op = this.#operator();
    const values = op === 'In' || op === 'NotIn' ? this.#valueSet() : this.#exactValue();
    return requirement(key, op, values);
  }

  #operator(): SelectorOperator {
    const { token, literal } = this.#consume(false);
    const operators: Partial<Record<Token, SelectorOperator>> = {
      in: 'In',
      notin: 'NotIn',
      '=': 'Equals',
      '==': 'DoubleEquals',
      '!=': 'NotEquals',
      '>': 'GreaterThan',
      '<': 'LessThan',
    };
    const operator = operators[token];
    if (!operator) throw new Error(`found '${literal}', expected: in, notin, =, ==, !=, gt, lt`);
    return operator;
  }

  #valueSet(): string[] {
    const open = this.#consume(true);
    if (open.token !== '(') throw new Error(`found '${open.literal}' expected: '('`);
    const first = this.#lookahead(true);
    if (first.token === ')') {
      this.#consume(true);
      return [''];
    }
    if (first.token !== 'identifier' && first.token !== ',') throw new Error(`found '${first.literal}', expected: ',', ')' or identifier`);
    const values = new Set<string>();
    while (true) {
      const item = this.#consume(true);
      if (item.token === 'identifier') {
        values.add(item.literal);
        const next = this.#lookahead(true);
        if (next.token === ',') continue;
        if (next.token === ')') break;
        throw new Error(`found '${next.literal}', expected: ',' or ')'`);
      } else if (item.token === ',') {
        // Empty values: "(,a", "a,,b" and "a,)" each stand for "".
        if (values.size === 0) values.add('');
        const next = this.#lookahead(true);
        if (next.token === ')') {
          values.add('');
          break;
        }
        if (next.token === ',') values.add('');
      } else {
        throw new Error(`found '${item.literal}', expected: ',', or identifier`);
      }
    }
    const close = this.#consume(true);
    if (close.token !== ')') throw new Error(`found '${close.literal}', expected: ')'`);
    return [...values].sort();
  }

  #exactValue(): string[] {
    const next = this.#lookahead(true);
    if (next.token === 'end' || next.token === ',') return [''];
    const item = this.#consume(true);
    if (item.token === 'identifier') return [item.literal];
    throw new Error(`found '${item.literal}', expected: identifier`);
  }
}

function asValue(item: Scanned, values: boolean): Scanned {
  return values && (item.token === 'in' || item.token === 'notin') ? { token: 'identifier', literal: item.literal } : item;
}

function requirement(key: string, operator: SelectorOperator, values: string[]): Requirement {
  const reason = invalidRequirementReason(key, operator, values);
  if (reason) throw new Error(reason);
  return { key, operator, values };
}

/**
 * Parses a label selector string (apimachinery's `labels.Parse`): `a=b`, `a==b`, `a!=b`,
 * `a in (x,y)`, `a notin (x)`, `a` (exists), `!a` (does not exist), `a>1`, `a<1`, joined by
 * commas. The empty string selects everything. Throws a {@link SelectorError} naming the
 * selector and what was expected.
 */
export function parseSelector(text: string): Selector {
  try {
    return Selector.fromRequirements(new Parser(text).parse());
  } catch (error) {
    throw new SelectorError(text, `unable to parse requirement: ${(error as Error).message}`);
  }
}

/** A selector that matches exactly these labels (`labels.SelectorFromSet`); validated. Empty: everything. */
export function selectorFromSet(labels: Readonly<Record<string, string>>): Selector {
  const requirements: Requirement[] = [];
  for (const [key, value] of Object.entries(labels)) {
    const reason = invalidRequirementReason(key, 'Equals', [value]);
    if (reason) throw new SelectorError(Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(','), reason);
    requirements.push({ key, operator: 'Equals', values: [value] });
  }
  return Selector.fromRequirements(requirements);
}

/**
 * Converts a workload's selector object (metav1.LabelSelector) like
 * `metav1.LabelSelectorAsSelector`: `undefined` selects nothing, `{}` everything.
 */
export function labelSelectorAsSelector(selector: LabelSelector | undefined | null): Selector {
  if (selector === undefined || selector === null) return Selector.nothing();
  const requirements: Requirement[] = [];
  const describe = () => JSON.stringify(selector);
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) {
    const reason = invalidRequirementReason(key, 'Equals', [value]);
    if (reason) throw new SelectorError(describe(), reason);
    requirements.push({ key, operator: 'Equals', values: [value] });
  }
  for (const expression of selector.matchExpressions ?? []) {
    const operator = expression.operator as SelectorOperator;
    if (!['In', 'NotIn', 'Exists', 'DoesNotExist'].includes(operator)) {
      throw new SelectorError(describe(), `${JSON.stringify(expression.operator)} is not a valid label selector operator (In, NotIn, Exists, DoesNotExist)`);
    }
    const values = [...new Set(expression.values ?? [])].sort();
    const reason = invalidRequirementReason(expression.key, operator, values);
    if (reason) throw new SelectorError(describe(), reason);
    requirements.push({ key: expression.key, operator, values });
  }
  return Selector.fromRequirements(requirements);
}

/** A selector from a string, a LabelSelector object or a Selector (what the listers accept). */
export function toSelector(selector: string | LabelSelector | Selector | undefined): Selector {
  if (selector === undefined) return Selector.everything();
  if (selector instanceof Selector) return selector;
  if (typeof selector === 'string') return parseSelector(selector);
  return labelSelectorAsSelector(selector);
}
