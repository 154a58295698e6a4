/**
 * Repairs a fenced code block written on too few lines, as some Kubernetes API descriptions are
 * ("``` <quantity> ::= … ```"): text on the opening fence line would be taken for the block's language, and a closing
 * fence after text is no closing fence. Well-formed blocks and inline code come back unchanged.
 */
export function repairFence(code: string): string {
  if (!code.startsWith('```')) return code;
  const newline = code.indexOf('\n');
  const info = newline < 0 ? code.slice(3) : code.slice(3, newline);
  if (/^[\w+-]*$/.test(info.trim()) && newline >= 0 && /\n```$/.test(code)) return code;
  let body = newline < 0 ? info : `${info}${code.slice(newline)}`;
  body = body.replace(/```$/, '').trim();
  return `\`\`\`text\n${body}\n\`\`\``;
}
