/** Describing a JSON syntax error by line and column, without echoing the file's content. */

export function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/**
 * V8's messages only sometimes carry a position, and some quote the file (which may hold a token), so
 * the position and the message come from a small scan of the text instead.
 */
export function describeJsonError(text: string, err: unknown): string {
  const found = locateJsonError(text);
  if (!found) return `invalid JSON (${errorText(err).replace(/, ".*" is not valid JSON$/s, '')})`;
  const before = text.slice(0, found.offset);
  const line = before.split('\n').length;
  const column = found.offset - before.lastIndexOf('\n');
  return `invalid JSON at line ${line}, column ${column}: ${found.message}`;
}

interface JsonSyntaxProblem {
  offset: number;
  message: string;
}

/** Finds the first syntax error of a JSON text (RFC 8259), or undefined when it is valid. */
function locateJsonError(text: string): JsonSyntaxProblem | undefined {
  let i = 0;
  const problem = (message: string): JsonSyntaxProblem => ({ offset: i, message });
  const found = (): string => (i < text.length ? JSON.stringify(text.charAt(i)) : 'the end of the file');
  const expected = (what: string): JsonSyntaxProblem => problem(`expected ${what}, found ${found()}`);
  const isDigit = (): boolean => i < text.length && text.charAt(i) >= '0' && text.charAt(i) <= '9';
  const skipDigits = (): void => {
    while (isDigit()) i++;
  };
  const skipWhitespace = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };

  const string = (): JsonSyntaxProblem | undefined => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) return expected('a closing quote');
      const c = text.charAt(i);
      if (c === '"') {
        i++;
        return undefined;
      }
      if (c.charCodeAt(0) < 0x20) return problem('control character inside a string (use an escape)');
      if (c !== '\\') {
        i++;
        continue;
      }
      i++;
      const escape = text.charAt(i);
      if (escape !== '' && '"\\/bfnrt'.includes(escape)) i++;
      else if (escape === 'u' && /^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) i += 5;
      else return expected('a valid escape sequence');
    }
  };

  const number = (): JsonSyntaxProblem | undefined => {
    if (text.charAt(i) === '-') i++;
    if (text.charAt(i) === '0') i++;
    else if (isDigit()) skipDigits();
    else return expected('a digit');
    if (text.charAt(i) === '.') {
      i++;
      if (!isDigit()) return expected('a digit');
      skipDigits();
    }
    if (text.charAt(i) === 'e' || text.charAt(i) === 'E') {
      i++;
      if (text.charAt(i) === '+' || text.charAt(i) === '-') i++;
      if (!isDigit()) return expected('a digit');
      skipDigits();
    }
    return undefined;
  };

  const container = (close: '}' | ']'): JsonSyntaxProblem | undefined => {
    i++; // the opening bracket
    skipWhitespace();
    if (text.charAt(i) === close) {
      i++;
      return undefined;
    }
    for (;;) {
      if (close === '}') {
        skipWhitespace();
        if (text.charAt(i) !== '"') return expected('a property name in double quotes');
        const keyProblem = string();
        if (keyProblem) return keyProblem;
        skipWhitespace();
        if (text.charAt(i) !== ':') return expected("':'");
        i++;
      }
      const valueProblem = value();
      if (valueProblem) return valueProblem;
      skipWhitespace();
      if (text.charAt(i) === ',') {
        i++;
        continue;
      }
      if (text.charAt(i) === close) {
        i++;
        return undefined;
      }
      return expected(`',' or '${close}'`);
    }
  };

  const value = (): JsonSyntaxProblem | undefined => {
    skipWhitespace();
    const c = text.charAt(i);
    if (c === '{') return container('}');
    if (c === '[') return container(']');
    if (c === '"') return string();
    if (c === '-' || isDigit()) return number();
    for (const literal of ['true', 'false', 'null']) {
      if (text.startsWith(literal, i)) {
        i += literal.length;
        return undefined;
      }
    }
    return expected('a value');
  };

  const first = value();
  if (first) return first;
  skipWhitespace();
  return i < text.length ? expected('the end of the file') : undefined;
}
