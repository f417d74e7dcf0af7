/** yaql's parse-time errors, with yaql's messages (`yaql/language/exceptions.py`). */
export class YaqlSyntaxError extends Error {
  private constructor(
    readonly pythonClass: 'YaqlLexicalException' | 'YaqlGrammarException',
    message: string,
  ) {
    super(message);
    this.name = pythonClass;
  }

  static lexical(char: string, pos: number): YaqlSyntaxError {
    return new YaqlSyntaxError(
      'YaqlLexicalException',
      `Lexical error: illegal character '${char}' at position ${pos}`,
    );
  }

  /** Valid yaql that Squall does not implement: refused at inspection rather than mis-evaluated. */
  static unsupported(what: string, pos: number): YaqlSyntaxError {
    return new YaqlSyntaxError(
      'YaqlGrammarException',
      `Parse error: ${what} at position ${pos} are not supported`,
    );
  }

  static grammar(expr: string, value: string | undefined, pos: number | undefined): YaqlSyntaxError {
    if (value === undefined || pos === undefined) {
      return new YaqlSyntaxError('YaqlGrammarException', 'Parse error: unexpected end of statement');
    }
    return new YaqlSyntaxError(
      'YaqlGrammarException',
      `Parse error: unexpected '${value}' at position ${pos} of expression '${expr}'`,
    );
  }
}
