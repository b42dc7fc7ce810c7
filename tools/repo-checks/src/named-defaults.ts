import ts from 'typescript';

/** A default written as a bare value where a named constant belongs. */
export interface BareDefault {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

/**
 * Finds `x ?? <literal>` in a construct library's source, where the literal is a number, a
 * non-empty string, a boolean, or a non-empty array or object: a default that a reader cannot look
 * up by name, document with a reason, or read back. Empty values (`?? []`, `?? {}`, `?? ''`) mean
 * "none" and are allowed.
 */
export function findBareDefaults(file: string, source: string): BareDefault[] {
  const sf = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true);
  const found: BareDefault[] = [];
  const visit = (node: ts.Node): void => {
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken &&
      isBareValue(node.right)
    ) {
      found.push({
        file,
        line: sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1,
        text: node.getText(sf).replace(/\s+/g, ' '),
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function isBareValue(node: ts.Expression): boolean {
  if (ts.isParenthesizedExpression(node)) return isBareValue(node.expression);
  if (ts.isNumericLiteral(node) || ts.isPrefixUnaryExpression(node)) return true;
  if (node.kind === ts.SyntaxKind.TrueKeyword || node.kind === ts.SyntaxKind.FalseKeyword) {
    return true;
  }
  if (ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)) return node.text !== '';
  if (ts.isArrayLiteralExpression(node)) return node.elements.length > 0;
  if (ts.isObjectLiteralExpression(node)) return node.properties.length > 0;
  return false;
}
